// The attacks of a steganography trial: a mix the stego passes through while
// training (task parameter train_attacks) and the list each evaluation
// measures the recovery under (task parameter attacks, also eval.attacks).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stegolab/attack.hpp"
#include "stegolab/params.hpp"
#include "stegolab/task.hpp"

namespace stegolab::steganography {

// One entry of an attack list as the experiment writes it:
// {"plugin": "jpeg", "params": {"quality": 90}}.
struct AttackEntry {
  std::string plugin;
  nlohmann::json params = nlohmann::json::object();
};

// The list in task parameter `key`; throws ParamError naming the entry
// ("task 'steganography': parameter 'attacks'[1]: expected ...").
std::vector<AttackEntry> read_attack_list(const Params& params, const std::string& key);

struct BuiltAttack {
  std::shared_ptr<Attack> attack;
  std::string owner;  // "attack 'jpeg'", for messages
  std::string label;  // "jpeg(q=90)": the suffix of its metrics, "@jpeg(q=90)"
};

class AttackChannel {
 public:
  AttackChannel() = default;
  // probability: per training batch, of passing through one attack of the
  // mix (drawn uniformly) rather than none.
  AttackChannel(std::vector<AttackEntry> training, double probability,
                std::vector<AttackEntry> evaluation)
      : training_entries_(std::move(training)),
        evaluation_entries_(std::move(evaluation)),
        probability_(probability) {}

  // Builds the attack plugins; refuses two evaluation attacks of one label.
  void build(ComponentBuilder& builder, const BuildContext& context);

  // Whether a training mix is set (it then replaces the loss's perturb()).
  bool trains() const { return !training_entries_.empty(); }
  // stego (NCHW float in [-1, 1]) through one attack of the mix, or unchanged.
  torch::Tensor training(const torch::Tensor& stego, const torch::Tensor& cover) const;

  const std::vector<BuiltAttack>& evaluation() const { return evaluation_; }

 private:
  std::vector<AttackEntry> training_entries_, evaluation_entries_;
  double probability_ = 1.0;
  std::vector<BuiltAttack> training_, evaluation_;
};

}  // namespace stegolab::steganography
