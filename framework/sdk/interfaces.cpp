// Key functions of the SDK interfaces: their vtables and typeinfo live here,
// once, so the host and every plugin agree on each type's identity.
#include "stegolab/attack.hpp"
#include "stegolab/command.hpp"
#include "stegolab/dataset.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/loss.hpp"
#include "stegolab/model.hpp"
#include "stegolab/strategy.hpp"
#include "stegolab/task.hpp"
#include "stegolab/transform.hpp"

namespace stegolab {

Transform::~Transform() = default;
StegoModel::~StegoModel() = default;
Loss::~Loss() = default;
Strategy::~Strategy() = default;
ImageSource::~ImageSource() = default;
Task::~Task() = default;
Evaluation::~Evaluation() = default;
ComponentBuilder::~ComponentBuilder() = default;
Command::~Command() = default;
Attack::~Attack() = default;
CommandServices::~CommandServices() = default;

std::shared_ptr<void> ComponentBuilder::build_plugin_erased(const std::string& kind,
                                                            const std::string& plugin,
                                                            const nlohmann::json& /*params*/,
                                                            const BuildContext& /*context*/) {
  throw PluginError("this host builds no " + kind + " plugin by name (asked for '" + plugin +
                    "')");
}

RecordedTrial CommandServices::recorded_trial(const std::string& /*database*/,
                                              const std::string& /*experiment*/,
                                              const std::string& trial,
                                              const std::string& /*checkpoint*/,
                                              const std::string& /*device*/) {
  throw Error("this host cannot rebuild recorded trials (asked for trial '" + trial + "')");
}

torch::Tensor CommandServices::read_8bit_image(const std::string& file) {
  throw Error("this host cannot read image files exactly (asked for '" + file + "')");
}

ExternalTrial CommandServices::record_external_trial(const std::string& /*database*/,
                                                     const std::string& /*experiment*/,
                                                     const std::string& name,
                                                     const std::string& /*kind*/,
                                                     const nlohmann::json& /*config*/) {
  throw Error("this host cannot record trials (asked for '" + name + "')");
}

void CommandServices::add_trial_metrics(const std::string& /*database*/, int64_t trial_id,
                                        const std::string& /*split*/,
                                        const std::vector<std::pair<std::string, double>>&,
                                        const std::vector<MetricDeclaration>&) {
  throw Error("this host cannot record metrics (of trial " + std::to_string(trial_id) + ")");
}

torch::Tensor apply_checked(Attack& attack, const std::string& owner, const torch::Tensor& image,
                            const torch::Tensor& original, AttackMode mode, uint64_t seed) {
  torch::Tensor received = attack.apply(image, original, mode, seed);
  expect_shape(owner, "apply", "image", received, image.sizes());
  return received;
}

TensorMap Task::evaluation_samples_of(const std::string& /*split_name*/,
                                      const torch::Tensor& split) {
  return evaluation_samples(split);
}

std::vector<std::pair<std::string, double>> Task::after_training(const TrialData& /*data*/,
                                                                 const ProgressNote& /*note*/) {
  return {};
}

std::string ImageSource::image_name(int64_t index) const { return std::to_string(index); }

torch::Tensor ImageSource::load_window(const torch::Tensor& /*indices*/, ImageExtent window,
                                       torch::Device /*device*/) {
  throw PluginError("a data source without whole-image evaluation was asked for " +
                    std::to_string(window.height) + "x" + std::to_string(window.width) +
                    " evaluation windows");
}

void expect_shape(const std::string& owner, const std::string& call, const std::string& what,
                  const torch::Tensor& tensor, c10::IntArrayRef expected) {
  const bool ok = tensor.defined() && tensor.is_floating_point() && tensor.sizes() == expected;
  if (ok) return;
  std::string wanted = "[";
  for (std::size_t d = 0; d < expected.size(); ++d) {
    wanted += (d == 0 ? "" : ", ") + std::to_string(expected[d]);
  }
  wanted += "]";
  const std::string got =
      !tensor.defined() ? "nothing"
      : tensor.is_floating_point()
          ? shape_text(tensor)
          : shape_text(tensor) + " of " + std::string(c10::toString(tensor.scalar_type()));
  throw PluginError(owner + ": " + call + " returned " + what + " " + got + ", expected " + wanted +
                    " (floating point)");
}

}  // namespace stegolab
