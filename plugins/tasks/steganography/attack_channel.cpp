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

}  // namespace

std::vector<AttackEntry> read_attack_list(const Params& params, const std::string& key) {
  std::vector<AttackEntry> entries;
  if (!params.has(key)) return entries;
  const nlohmann::json& list = params.get_json(key);
  const std::string where = params.owner() + ": parameter '" + key + "'";
  if (!list.is_array()) throw ParamError(where + ": expected an array of attacks");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& item = list[i];
    const bool params_ok = !item.contains("params") || item["params"].is_object();
    const bool keys_ok =
        item.is_object() && item.size() == (item.contains("params") ? 2u : 1u);
    if (!keys_ok || !item.contains("plugin") || !item["plugin"].is_string() || !params_ok) {
      throw ParamError(where + "[" + std::to_string(i) +
                       "]: expected {\"plugin\": NAME, \"params\": {...}}, got " + item.dump());
    }
    entries.push_back(
        {item["plugin"].get<std::string>(), item.value("params", nlohmann::json::object())});
  }
  return entries;
}

void AttackChannel::build(ComponentBuilder& builder, const BuildContext& context) {
  training_ = build_attacks(training_entries_, builder, context);
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

torch::Tensor AttackChannel::training(const torch::Tensor& stego,
                                      const torch::Tensor& cover) const {
  // Drawn on the CPU from the default generator, which the trainer seeds: no device sync.
  if (training_.empty() || torch::rand({1}).item<double>() >= probability_) return stego;
  const int64_t pick = torch::randint(static_cast<int64_t>(training_.size()), {1}).item<int64_t>();
  const BuiltAttack& chosen = training_[static_cast<std::size_t>(pick)];
  return apply_checked(*chosen.attack, chosen.owner, stego, cover, AttackMode::training, 0);
}

}  // namespace stegolab::steganography
