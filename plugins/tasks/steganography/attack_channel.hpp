// The attacks of a steganography trial: a mix the stego passes through while
// training (task parameters train_attacks and train_attack_probability, the
// task's only training channel) and the list each evaluation measures the
// recovery under (task parameter attacks, also eval.attacks).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stegolab/attack.hpp"
#include "stegolab/loss.hpp"
#include "stegolab/params.hpp"
#include "stegolab/task.hpp"
#include "training_curriculum.hpp"

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

// One member of the training mix: attacks applied in order (an 8-bit file,
// then noise on it), written as an entry or as {"chain": [entry, ...]}.
using AttackChain = std::vector<AttackEntry>;

// The training mix in task parameter `key`; errors as read_attack_list's.
std::vector<AttackChain> read_training_mix(const Params& params, const std::string& key);

struct BuiltAttack {
  std::shared_ptr<Attack> attack;
  std::string owner;  // "attack 'jpeg'", for messages
  std::string label;  // "jpeg(q=90)": the suffix of its metrics, "@jpeg(q=90)"
};

class AttackChannel {
 public:
  AttackChannel() = default;
  // curriculum: per training image, the probability of passing through the
  // mix's chain of the batch (one per batch, drawn uniformly) rather than none.
  AttackChannel(std::vector<AttackChain> training, TrainingCurriculum curriculum,
                std::vector<AttackEntry> evaluation)
      : training_chains_(std::move(training)),
        evaluation_entries_(std::move(evaluation)),
        curriculum_(curriculum) {}

  // Builds the attack plugins; refuses two evaluation attacks of one label.
  void build(ComponentBuilder& builder, const BuildContext& context);

  // stego (NCHW float in [-1, 1]) as the receiver gets it in training: each
  // image through the batch's chain with the curriculum's probability at
  // progress.fraction, else unchanged. Without a mix, stego itself.
  torch::Tensor training(const torch::Tensor& stego, const torch::Tensor& cover,
                         const TrainingProgress& progress) const;

  const std::vector<BuiltAttack>& evaluation() const { return evaluation_; }

 private:
  std::vector<AttackChain> training_chains_;
  std::vector<AttackEntry> evaluation_entries_;
  TrainingCurriculum curriculum_;
  std::vector<std::vector<BuiltAttack>> training_;
  std::vector<BuiltAttack> evaluation_;
};

}  // namespace stegolab::steganography
