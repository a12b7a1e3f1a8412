// The host's side of a plugin command (stegolab/command.hpp): devices,
// checkpoints, image files, data sources, recorded trials and their metrics.
#pragma once

#include "plugin_host/plugin_registry.hpp"
#include "stegolab/command.hpp"

namespace stegolab::cli {

class HostServices : public CommandServices {
 public:
  explicit HostServices(const PluginRegistry& registry) : registry_(registry) {}
  torch::Device device(const std::string& name) override;
  RestoredTask restore(const std::string& checkpoint_dir, torch::Device device) override;
  torch::Tensor read_image(const std::string& file) override;
  torch::Tensor read_8bit_image(const std::string& file) override;
  void write_image(const std::string& file, const torch::Tensor& pixels) override;
  torch::Tensor resize_image(const torch::Tensor& pixels, int64_t height, int64_t width) override;
  std::shared_ptr<ImageSource> data_source(const std::string& plugin,
                                           const nlohmann::json& params) override;
  RecordedTrial recorded_trial(const std::string& database, const std::string& experiment,
                               const std::string& trial, const std::string& checkpoint,
                               const std::string& device) override;
  ExternalTrial record_external_trial(const std::string& database, const std::string& experiment,
                                      const std::string& name, const std::string& kind,
                                      const nlohmann::json& config) override;
  void add_trial_metrics(const std::string& database, int64_t trial_id, const std::string& split,
                         const std::vector<std::pair<std::string, double>>& values,
                         const std::vector<MetricDeclaration>& declarations) override;

 private:
  const PluginRegistry& registry_;
};

}  // namespace stegolab::cli
