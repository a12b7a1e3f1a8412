// The `standard` strategy: fp32, or bf16/fp16 autocast (with dynamic loss
// scaling for fp16), gradient accumulation, norm clipping, Adam/AdamW and the
// shared learning-rate schedule.
#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/loss_scaler.hpp"
#include "stegolab/parameter_group.hpp"
#include "stegolab/plugin.hpp"
#include "stegolab/strategy.hpp"
#include "stegolab/torch_compat.hpp"

namespace stegolab {
namespace {

struct StandardSettings {
  std::string precision = "fp32";
  int64_t accumulation = 1;
  double clip_norm = 0.0;
  double loss_scale_init = 65536.0;
  int64_t growth_interval = 2000;
  bool channels_last = false;
  bool cudnn_benchmark = false;
};

class StandardStrategy : public Strategy {
 public:
  StandardStrategy(StandardSettings settings, torch::Device device)
      : settings_(std::move(settings)),
        device_(device),
        scaler_(LossScalerSettings{settings_.precision == "fp16", settings_.loss_scale_init, 2.0,
                                   0.5, settings_.growth_interval}) {}

  void setup(const StrategySetup& setup) override {
    if (setup.parameters.empty())
      throw PluginError("strategy 'standard': no parameters to optimise");
    if (setup.total_steps < 1) {
      throw PluginError("strategy 'standard': total_steps must be >= 1, got " +
                        std::to_string(setup.total_steps));
    }
    parameters_ = setup.parameters;
    group_factors_ = {1.0};
    for (const ParameterGroup& group : setup.groups) {
      parameters_.insert(parameters_.end(), group.parameters.begin(), group.parameters.end());
      group_factors_.push_back(group.learning_rate / setup.optimizer.lr);
    }
    device_ = setup.device;
    optimizer_settings_ = setup.optimizer;
    schedule_ = setup.schedule;
    total_steps_ = setup.total_steps;
    step_count_ = 0;
    lr_factor_ = 1.0;
    if (device_.is_cuda()) {
      // cuDNN's autotuner picks the fastest convolution algorithms for the
      // shapes it sees, which can change results between runs.
      if (settings_.cudnn_benchmark && at::globalContext().deterministicAlgorithms()) {
        throw ParamError(
            "strategy 'standard': cudnn_benchmark true contradicts train.deterministic true");
      }
      at::globalContext().setBenchmarkCuDNN(settings_.cudnn_benchmark);
    }
    if (settings_.channels_last) {
      // Weights in the same layout as the inputs, as Python's
      // module.to(memory_format=torch.channels_last) does.
      torch::NoGradGuard no_grad;
      for (auto& parameter : parameters_) {
        if (parameter.dim() == 4) {
          parameter.set_data(parameter.contiguous(at::MemoryFormat::ChannelsLast));
        }
      }
    }
    optimizer_ = make_optimizer(setup);
  }

  int64_t accumulation() const override { return settings_.accumulation; }

  StepReport step(const std::vector<MicroBatch>& micro_batches, const LossFunction& loss,
                  const StepLimits& limits) override {
    if (!optimizer_) throw PluginError("strategy 'standard': step() before setup()");
    if (micro_batches.empty())
      throw PluginError("strategy 'standard': step() with no micro-batches");
    // The mean over the micro-batches actually given, so a short last step of
    // an epoch still averages correctly; normally there are accumulation() of them.
    const double share = 1.0 / static_cast<double>(micro_batches.size());
    optimizer_->zero_grad();

    torch::Tensor loss_sum;
    std::vector<std::pair<std::string, torch::Tensor>> term_sums;
    for (const MicroBatch& micro_batch : micro_batches) {
      LossValue value;
      {
        compat::AutocastScope autocast(device_.type(), autocast_dtype(), autocast_on());
        value = loss(prepare(micro_batch));
      }
      const torch::Tensor total = value.total.to(torch::kFloat) * share;
      scaler_.scale_loss(total).backward();
      const torch::Tensor detached = total.detach();
      loss_sum = loss_sum.defined() ? loss_sum + detached : detached;
      for (auto& [name, term] : value.terms) {
        const torch::Tensor part = term.detach().to(torch::kFloat) * share;
        auto found = std::find_if(term_sums.begin(), term_sums.end(),
                                  [&](const auto& entry) { return entry.first == name; });
        if (found == term_sums.end()) {
          term_sums.emplace_back(name, part);
        } else {
          found->second = found->second + part;
        }
      }
    }

    std::vector<torch::Tensor> gradients;
    gradients.reserve(parameters_.size());
    for (const auto& parameter : parameters_) gradients.push_back(parameter.grad());
    const torch::Tensor bad_gradients = scaler_.unscale(gradients).to(loss_sum.device());
    // The one host synchronisation of a step: the loss and whether any
    // gradient overflowed, in one transfer, decide whether to apply it.
    const torch::Tensor host = torch::cat({loss_sum.to(torch::kDouble).reshape({1}),
                                           bad_gradients.to(torch::kDouble).reshape({1})})
                                   .cpu();
    const double loss_value = host[0].item<double>();
    const bool gradients_bad = host[1].item<double>() != 0.0;
    const bool loss_finite = std::isfinite(loss_value);
    const bool nonfinite = !loss_finite || gradients_bad;
    const bool exploded = !nonfinite && loss_value > limits.loss_ceiling;

    StepReport report;
    report.learning_rate = current_learning_rate();
    if (nonfinite || exploded) {
      optimizer_->zero_grad();
    } else {
      if (settings_.clip_norm > 0.0) clip_gradients(gradients);
      set_learning_rate(report.learning_rate);
      optimizer_->step();
    }
    // An exploded but finite step says nothing about the loss scale.
    scaler_.update(nonfinite);
    // The schedule follows the trial's planned timeline, skipped steps included.
    ++step_count_;
    report.applied = !nonfinite && !exploded;
    report.nonfinite = nonfinite;
    report.scaler_overflow = scaler_.enabled() && loss_finite && gradients_bad;
    report.exploded = exploded;
    report.loss = loss_sum;
    report.loss_value = loss_value;
    report.terms = std::move(term_sums);
    report.loss_scale = scaler_.scale();
    return report;
  }

  void evaluate(const std::function<void()>& fn) override {
    torch::NoGradGuard no_grad;
    compat::AutocastScope autocast(device_.type(), autocast_dtype(), autocast_on());
    fn();
  }

  void scale_learning_rate(double factor) override {
    if (!(factor > 0.0)) {
      throw PluginError("strategy 'standard': learning-rate factor must be > 0, got " +
                        std::to_string(factor));
    }
    lr_factor_ *= factor;
    if (optimizer_) set_learning_rate(current_learning_rate());
  }

  std::string precision() const override { return settings_.precision; }

  void save(torch::serialize::OutputArchive& archive) const override {
    if (!optimizer_) throw PluginError("strategy 'standard': save() before setup()");
    torch::serialize::OutputArchive optimizer_archive;
    optimizer_->save(optimizer_archive);
    archive.write("optimizer", optimizer_archive);
    torch::serialize::OutputArchive scaler_archive;
    scaler_.save(scaler_archive);
    archive.write("loss_scaler", scaler_archive);
    archive.write("step", torch::tensor(step_count_, torch::kLong));
    archive.write("lr_factor", torch::tensor(lr_factor_, torch::kDouble));
  }

  void load(torch::serialize::InputArchive& archive) override {
    if (!optimizer_) throw PluginError("strategy 'standard': load() before setup()");
    torch::serialize::InputArchive optimizer_archive;
    archive.read("optimizer", optimizer_archive);
    optimizer_->load(optimizer_archive);
    torch::serialize::InputArchive scaler_archive;
    archive.read("loss_scaler", scaler_archive);
    scaler_.load(scaler_archive);
    torch::Tensor step;
    torch::Tensor factor;
    archive.read("step", step);
    archive.read("lr_factor", factor);
    step_count_ = step.item<int64_t>();
    lr_factor_ = factor.item<double>();
    set_learning_rate(current_learning_rate());
  }

 private:
  bool autocast_on() const { return settings_.precision != "fp32"; }
  at::ScalarType autocast_dtype() const {
    return settings_.precision == "fp16" ? at::kHalf : at::kBFloat16;
  }

  MicroBatch prepare(const MicroBatch& micro_batch) const {
    if (!settings_.channels_last) return micro_batch;
    MicroBatch prepared;
    for (const auto& [name, images] : micro_batch.entries()) {
      prepared.set(name,
                   images.dim() == 4 ? images.contiguous(at::MemoryFormat::ChannelsLast) : images);
    }
    return prepared;
  }

  double current_learning_rate() const {
    return lr_factor_ *
           scheduled_learning_rate(optimizer_settings_, schedule_, step_count_, total_steps_);
  }

  // Group i runs at lr times its factor (its own rate over the main one).
  void set_learning_rate(double lr) {
    auto& groups = optimizer_->param_groups();
    for (std::size_t i = 0; i < groups.size(); ++i) {
      groups[i].options().set_lr(lr * group_factors_.at(i));
    }
  }

  // Adam or AdamW over the main parameters and each parameter group.
  std::unique_ptr<torch::optim::Optimizer> make_optimizer(const StrategySetup& setup) const {
    const OptimizerSettings& o = optimizer_settings_;
    const double lr = current_learning_rate();
    if (o.name != "adam" && o.name != "adamw") {
      throw ParamError("train.optimizer.name must be \"adam\" or \"adamw\", got \"" + o.name +
                       "\"");
    }
    const auto options = [&](double group_lr) -> std::unique_ptr<torch::optim::OptimizerOptions> {
      if (o.name == "adam") {
        return std::make_unique<torch::optim::AdamOptions>(torch::optim::AdamOptions(group_lr)
                                                               .betas({o.beta1, o.beta2})
                                                               .eps(o.eps)
                                                               .weight_decay(o.weight_decay));
      }
      return std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(group_lr)
                                                              .betas({o.beta1, o.beta2})
                                                              .eps(o.eps)
                                                              .weight_decay(o.weight_decay));
    };
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(setup.parameters, options(lr));
    for (std::size_t i = 0; i < setup.groups.size(); ++i) {
      groups.emplace_back(setup.groups[i].parameters, options(lr * group_factors_[i + 1]));
    }
    if (o.name == "adam") {
      return std::make_unique<torch::optim::Adam>(std::move(groups),
                                                  torch::optim::AdamOptions(lr));
    }
    return std::make_unique<torch::optim::AdamW>(std::move(groups), torch::optim::AdamWOptions(lr));
  }

  // clip_grad_norm_ of LibTorch returns the norm as a double (a host sync);
  // this is the same rule (coefficient max_norm / (norm + 1e-6), at most 1)
  // kept on the device.
  void clip_gradients(const std::vector<torch::Tensor>& gradients) const {
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> norms;
    for (const auto& gradient : gradients) {
      if (gradient.defined()) norms.push_back(gradient.norm(2).to(torch::kFloat).reshape({1}));
    }
    if (norms.empty()) return;
    const torch::Tensor total = torch::cat(norms).norm(2);
    const torch::Tensor coefficient = (settings_.clip_norm / (total + 1e-6)).clamp_max(1.0);
    for (const auto& gradient : gradients) {
      if (gradient.defined()) gradient.mul_(coefficient.to(gradient.dtype()));
    }
  }

  StandardSettings settings_;
  torch::Device device_;
  DynamicLossScaler scaler_;
  std::vector<torch::Tensor> parameters_;  // every optimised parameter, groups included
  std::vector<double> group_factors_ = {1.0};  // learning rate of each optimiser group / lr
  OptimizerSettings optimizer_settings_;
  ScheduleSettings schedule_;
  int64_t total_steps_ = 1;
  int64_t step_count_ = 0;
  double lr_factor_ = 1.0;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
};

PluginInfo standard_info() {
  PluginInfo info;
  info.version = "1.0";
  info.summary =
      "fp32 or bf16/fp16 autocast (fp16 with dynamic loss scaling), accumulation, clipping, "
      "Adam/AdamW";
  info.params = {
      {"precision",
       "string",
       "fp32",
       "\"fp32\", \"bf16\" (CPU or CUDA) or \"fp16\" (CUDA only)",
       std::nullopt,
       std::nullopt,
       {"fp32", "fp16", "bf16"}},
      {"accumulation", "int", 1, "micro-batches per optimiser step (>= 1)", 1.0, 1e6},
      {"clip_norm", "number", 0.0, "clip the global gradient L2 norm to this value; 0 = off", 0.0,
       1e30},
      {"loss_scale_init", "number", 65536.0, "fp16: initial dynamic loss scale", 1e-30, 1e30},
      {"growth_interval", "int", 2000, "fp16: finite steps before the loss scale doubles", 1.0,
       1e9},
      {"memory_format",
       "string",
       "auto",
       "layout of inputs and 4-D weights: \"contiguous\" (NCHW), \"channels_last\" (NHWC) or "
       "\"auto\" (the one measured faster on the device: contiguous on the CPU; contiguous on "
       "CUDA, not measured there)",
       std::nullopt,
       std::nullopt,
       {"auto", "contiguous", "channels_last"}},
      {"channels_last", "bool", false,
       "true: the same as memory_format \"channels_last\" (older experiment files)"},
      {"cudnn_benchmark", "bool", false,
       "CUDA: let cuDNN autotune convolution algorithms (not with train.deterministic)"},
  };
  return info;
}

// memory_format "auto": the layout measured faster on each kind of device
// (docs/performance.md, "Memory format"). CPU: NCHW. NHWC was 4-6 % faster for
// a small StarINN (64x64, hidden 32) but showed no gain for the default model
// at 224x224, so the default stays where it was. CUDA: not measured yet, so
// NCHW as before. A measurement that says otherwise changes these two lines.
constexpr bool kChannelsLastOnCpu = false;
constexpr bool kChannelsLastOnCuda = false;

bool channels_last_layout(const Params& params, const torch::Device& device) {
  const std::string format =
      params.get_choice("memory_format", "auto", {"auto", "contiguous", "channels_last"});
  if (params.get_bool("channels_last", false)) {
    if (format == "contiguous") {
      throw ParamError(params.owner() +
                       ": channels_last true contradicts memory_format \"contiguous\"");
    }
    return true;
  }
  if (format == "auto") return device.is_cuda() ? kChannelsLastOnCuda : kChannelsLastOnCpu;
  return format == "channels_last";
}

std::shared_ptr<Strategy> make_standard(const Params& params, const BuildContext& context) {
  StandardSettings settings;
  settings.precision = params.get_choice("precision", "fp32", {"fp32", "fp16", "bf16"});
  settings.accumulation = params.get_int_at_least("accumulation", 1, 1);
  settings.clip_norm = params.get_number_in("clip_norm", 0.0, 0.0, 1e30);
  settings.loss_scale_init = params.get_number_in("loss_scale_init", 65536.0, 1e-30, 1e30);
  settings.growth_interval = params.get_int_at_least("growth_interval", 2000, 1);
  settings.channels_last = channels_last_layout(params, context.device);
  settings.cudnn_benchmark = params.get_bool("cudnn_benchmark", false);
  if (settings.precision == "fp16" && !context.device.is_cuda()) {
    throw ParamError(params.owner() + ": precision \"fp16\" needs a CUDA device (autocast on " +
                     context.device.str() + " has no fp16); use \"bf16\" or \"fp32\"");
  }
  return std::make_shared<StandardStrategy>(settings, context.device);
}

}  // namespace
}  // namespace stegolab

STEGOLAB_PLUGIN(stegolab::Strategy, standard, stegolab::standard_info, stegolab::make_standard)
