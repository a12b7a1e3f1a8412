#include "attack_channel.hpp"

#include <torch/torch.h>

#include "stegolab/errors.hpp"

namespace stegolab::steganography {

namespace {

std::vector<BuiltAttack> build_attacks(const std::vector<AttackEntry>& entries,
                                       ComponentBuilder& builder, const BuildContext& context) {
  std::vector<BuiltAttack> built;
  for (const AttackEntry& entry : entries) {
    auto attack = builder.build_plugin<Attack>(entry.plugin, entry.params, context);
    const std::string label = attack->label();
    built.push_back({std::move(attack), "attack '" + entry.plugin + "'", label});
  }
  return built;
}

// `item` as {"plugin": NAME, "params": {...}}; `where` names it in the error.
AttackEntry read_attack_entry(const nlohmann::json& item, const std::string& where) {
  const bool params_ok = !item.contains("params") || item["params"].is_object();
  const bool keys_ok = item.is_object() && item.size() == (item.contains("params") ? 2u : 1u);
  if (!keys_ok || !item.contains("plugin") || !item["plugin"].is_string() || !params_ok) {
    throw ParamError(where + ": expected {\"plugin\": NAME, \"params\": {...}}, got " +
                     item.dump());
  }
  return {item["plugin"].get<std::string>(), item.value("params", nlohmann::json::object())};
}

// Task parameter `key` as an array, and how its errors name it.
const nlohmann::json& attack_array(const Params& params, const std::string& key,
                                   const std::string& where) {
  const nlohmann::json& list = params.get_json(key);
  if (!list.is_array()) throw ParamError(where + ": expected an array of attacks");
  return list;
}

}  // namespace

std::vector<AttackEntry> read_attack_list(const Params& params, const std::string& key) {
  std::vector<AttackEntry> entries;
  if (!params.has(key)) return entries;
  const std::string where = params.owner() + ": parameter '" + key + "'";
  const nlohmann::json& list = attack_array(params, key, where);
  for (std::size_t i = 0; i < list.size(); ++i)
    entries.push_back(read_attack_entry(list[i], where + "[" + std::to_string(i) + "]"));
  return entries;
}

std::vector<AttackChain> read_training_mix(const Params& params, const std::string& key) {
  std::vector<AttackChain> mix;
  if (!params.has(key)) return mix;
  const std::string where = params.owner() + ": parameter '" + key + "'";
  const nlohmann::json& list = attack_array(params, key, where);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& item = list[i];
    const std::string at = where + "[" + std::to_string(i) + "]";
    if (!item.is_object() || !item.contains("chain")) {
      mix.push_back({read_attack_entry(item, at)});
      continue;
    }
    const nlohmann::json& chain = item["chain"];
    if (item.size() != 1 || !chain.is_array() || chain.empty()) {
      throw ParamError(at +
                       ": expected {\"chain\": [{\"plugin\": NAME, \"params\": {...}}, "
                       "...]} (attacks applied in order), got " +
                       item.dump());
    }
    AttackChain steps;
    for (std::size_t j = 0; j < chain.size(); ++j)
      steps.push_back(read_attack_entry(chain[j], at + ".chain[" + std::to_string(j) + "]"));
    mix.push_back(std::move(steps));
  }
  return mix;
}

void AttackChannel::build(ComponentBuilder& builder, const BuildContext& context) {
  training_.clear();
  for (const AttackChain& chain : training_chains_)
    training_.push_back(build_attacks(chain, builder, context));
  evaluation_ = build_attacks(evaluation_entries_, builder, context);
  for (std::size_t i = 0; i < evaluation_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (evaluation_[i].label == evaluation_[j].label) {
        throw PluginError("task 'steganography': parameter 'attacks' lists " +
                          evaluation_[i].label + " twice");
      }
    }
  }
}

torch::Tensor AttackChannel::training(const torch::Tensor& stego, const torch::Tensor& cover,
                                      const TrainingProgress& progress) const {
  const double probability = curriculum_.at(progress.fraction);
  if (training_.empty() || probability <= 0.0) return stego;
  // The chain is drawn on the CPU from the default generator, which the
  // trainer seeds: no device sync. A mix of one draws nothing, so
  // [quantize8, gaussian_noise] draws what the attacks draw and no more.
  std::size_t pick = 0;
  if (training_.size() > 1) {
    pick = static_cast<std::size_t>(
        torch::randint(static_cast<int64_t>(training_.size()), {1}).item<int64_t>());
  }
  torch::Tensor received = stego;
  for (const BuiltAttack& step : training_[pick])
    received = apply_checked(*step.attack, step.owner, received, cover, AttackMode::training, 0);
  if (probability >= 1.0) return received;
  // Per image, without a host sync: a Bernoulli mask on the device picks the
  // attacked images.
  const torch::Tensor mask = torch::bernoulli(
      torch::full({stego.size(0), 1, 1, 1}, probability, stego.options().dtype(torch::kFloat32)));
  return torch::where(mask.to(torch::kBool), received, stego.to(received.scalar_type()));
}

}  // namespace stegolab::steganography
