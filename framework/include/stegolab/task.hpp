// Task: what is being learned. The host trains, evaluates, checkpoints and
// records a task without knowing what it computes; the task composes its
// batches from the data source, builds the components it needs, defines the
// training objective and the evaluation, and declares its metrics once.
//
// A trial's life, as the host drives it:
//   PluginInfo: components, metrics, best_metric are read when the experiment loads
//   task = factory(params)
//   task->build(builder, context)     the task builds its components by section
//   per epoch: training_samples() -> batches of named images -> training_loss()
//   per evaluation: evaluation_samples() -> start_evaluation() -> add() -> means()
//   at the end: the first samples of the test split -> gallery() -> PNG files
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "stegolab/dataset.hpp"
#include "stegolab/export.hpp"
#include "stegolab/loss.hpp"
#include "stegolab/plugin.hpp"
#include "stegolab/tensor_map.hpp"

namespace stegolab {

// Builds the components of the sections a task declared, as the experiment
// names them. Implemented by the host.
class STEGOLAB_VISIBLE ComponentBuilder {
 public:
  virtual ~ComponentBuilder();
  // The experiment names a plugin for `section`.
  virtual bool has(const std::string& section) const = 0;
  // The plugin name of `section` ("" when none), for messages.
  virtual std::string plugin(const std::string& section) const = 0;
  // Builds `section`'s plugin, which must be of `kind`; throws Error otherwise.
  virtual std::shared_ptr<void> build_erased(const std::string& section, const std::string& kind,
                                             const BuildContext& context) = 0;

  // Builds plugin `plugin` of `kind` with `params` (checked and completed
  // like a section's), for components a task lists in its own parameters
  // (attacks). Throws Error naming the plugin. The default: a host that
  // cannot, said so.
  virtual std::shared_ptr<void> build_plugin_erased(const std::string& kind,
                                                    const std::string& plugin,
                                                    const nlohmann::json& params,
                                                    const BuildContext& context);

  template <class Interface>
  std::shared_ptr<Interface> build(const std::string& section, const BuildContext& context) {
    // The host's factory converted an Interface* to void*: casting back is exact.
    return std::static_pointer_cast<Interface>(
        build_erased(section, KindOf<Interface>::name, context));
  }
  template <class Interface>
  std::shared_ptr<Interface> build_plugin(const std::string& plugin, const nlohmann::json& params,
                                          const BuildContext& context) {
    return std::static_pointer_cast<Interface>(
        build_plugin_erased(KindOf<Interface>::name, plugin, params, context));
  }
};

// Runs its argument under the strategy's precision, without gradients.
using PrecisionScope = std::function<void(const std::function<void()>&)>;

// One evaluation pass over a split, accumulated on the device.
class STEGOLAB_VISIBLE Evaluation {
 public:
  virtual ~Evaluation();
  // One batch as evaluation_samples() composed it (named NCHW float images in
  // [-1, 1] on the trial's device). Model calls go through `scope`; metrics
  // are computed after it, in fp32.
  virtual void add(const TensorMap& batch, const PrecisionScope& scope) = 0;
  // Each declared metric's mean over the pass: one device-to-host copy.
  virtual std::vector<std::pair<std::string, double>> means() = 0;
  // Samples evaluated so far (for images/s).
  virtual int64_t samples() const = 0;
};

// One kind of picture in a gallery (the cover, the residual x10, ...), for
// every sample of a batch.
struct GalleryPanel {
  std::string name;      // a file-name word: "stego", "stego_residual_x10"
  std::string caption;   // what a reader sees under it: "|stego - cover| x10"
  torch::Tensor pixels;  // uint8 [N, H, W, C] (C = 1 or 3), any device: what the file holds
};

using NamedModule = std::pair<std::string, std::shared_ptr<torch::nn::Module>>;

// A trial's data as the host built and split it: what a task needs to
// measure its trained models on more than one split.
struct TrialData {
  std::shared_ptr<ImageSource> source;  // evaluation samples (load(..., augment = false))
  torch::Tensor train, val, test;       // int64 indices into `source`, on the CPU
  torch::Device device = torch::kCPU;
  int64_t eval_batch_size = 16;  // the experiment's eval.batch_size
  uint64_t seed = 0;             // the trial's seed
};

// A line for the trial's progress output.
using ProgressNote = std::function<void(const std::string&)>;

class STEGOLAB_VISIBLE Task {
 public:
  virtual ~Task();

  // Its sections, metrics and default best metric are declared in its
  // PluginInfo (components, metrics, best_metric), readable without building it.

  // Builds the components from the experiment's sections, on context.device.
  virtual void build(ComponentBuilder& builder, const BuildContext& context) = 0;
  // The trained modules, by name: their parameters are optimised, each is
  // saved as <name>.pt in a checkpoint, and train()/eval() switch them.
  virtual std::vector<NamedModule> modules() = 0;
  // The sections a checkpoint must name to rebuild this task (with modules()).
  virtual std::vector<std::string> checkpoint_sections() const = 0;

  // The samples of one training epoch: named lists of image indices (int64,
  // 1-D, CPU, each exactly `count` long) drawn from `split` (int64 indices of
  // the source); entry i of every list together makes sample i. Deterministic
  // in (seed, epoch).
  virtual TensorMap training_samples(const torch::Tensor& split, uint64_t seed, int64_t epoch,
                                     int64_t count) = 0;
  // The fixed samples of an evaluation split, composed the same way.
  virtual TensorMap evaluation_samples(const torch::Tensor& split) = 0;
  // The same for the split named `split_name` ("val" or "test"), which the
  // host calls: a task whose samples of a split are fixed by name (a file)
  // overrides it; by default evaluation_samples(split).
  virtual TensorMap evaluation_samples_of(const std::string& split_name,
                                          const torch::Tensor& split);

  // The objective of one micro-batch: the batch holds the named images
  // (NCHW float in [-1, 1], on the device) of training_samples()' lists.
  virtual LossValue training_loss(const TensorMap& batch, const TrainingProgress& progress) = 0;
  virtual std::unique_ptr<Evaluation> start_evaluation() = 0;
  // The pictures of one batch as evaluation_samples() composed it (named
  // NCHW float images in [-1, 1] on the device), in display order: what a
  // reader should look at to judge the trial. Model calls go through `scope`.
  virtual std::vector<GalleryPanel> gallery(const TensorMap& batch,
                                            const PrecisionScope& scope) = 0;

  // Measures taken once after training, after the test split's evaluation,
  // with the final weights in evaluation mode: recorded as final metrics of
  // split test (declare them in PluginInfo::metrics like the others). An
  // error is recorded as the trial's event "after_training_failed" and its
  // other numbers stand. Default: none.
  virtual std::vector<std::pair<std::string, double>> after_training(const TrialData& data,
                                                                     const ProgressNote& note);

  // Floating-point operations for one sample of height x width (a multiply-
  // add counts 2): what inference computes, and one training step.
  virtual double inference_flops(int64_t height, int64_t width) const = 0;
  virtual double training_flops(int64_t height, int64_t width) const = 0;
};

template <>
struct KindOf<Task> {
  static constexpr const char* name = "task";
};

// Throws PluginError("<owner>: <call> returned <what> [shape], expected
// [expected]") unless `tensor` is defined, floating and of `expected` shape.
STEGOLAB_VISIBLE void expect_shape(const std::string& owner, const std::string& call,
                                   const std::string& what, const torch::Tensor& tensor,
                                   c10::IntArrayRef expected);

}  // namespace stegolab
