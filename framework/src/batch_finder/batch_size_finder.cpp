#include "batch_finder/batch_size_finder.hpp"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <new>
#include <sstream>

#include <c10/util/Exception.h>
#include <torch/torch.h>

#include "batch_finder/batch_search.hpp"
#include "data/joined_sources.hpp"
#include "data/sample_side.hpp"
#include "trainer/trial_source.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"
#include "trainer/peak_memory.hpp"
#include "trainer/trial_components.hpp"

namespace stegolab {

namespace {

// Builds the trial, runs one training step at `batch` and one evaluation
// pass at the trial's eval batch size; returns the peak RSS growth in MiB
// (NaN off the CPU).
double measure_probe(ComponentFactory& factory, const TrialSpec& trial, torch::Device device,
                     int64_t batch) {
  // Returns the memory earlier probes freed (cached or in the heap) first:
  // reused without raising the RSS, it would hide part of this probe's need.
  reset_peak_memory(device);
  const double baseline = peak_memory_mb(device);
  {
    TrialComponents components = build_trial_components(factory, trial, device);
    components.strategy->setup(make_strategy_setup(trial, components, 1));
    const int64_t channels = components.source->channels();
    const int64_t size = training_sample_side(*components.source);
    Task& task = *components.task;
    const std::string task_name = "task '" + trial.task.plugin + "'";

    const int64_t accumulation = std::max<int64_t>(1, components.strategy->accumulation());
    std::vector<MicroBatch> micro;
    for (int64_t i = 0; i < accumulation; ++i) {
      micro.push_back(random_batch(task, /*training=*/true, batch, channels, size, device));
    }
    set_training_mode(components.modules, true);
    components.strategy->step(micro, training_loss(task, task_name, {}), StepLimits{});
    micro.clear();

    // The evaluation pass of a real trial, as the task runs it.
    set_training_mode(components.modules, false);
    const MicroBatch eval_batch =
        random_batch(task, /*training=*/false, trial.eval.batch_size, channels, size, device);
    std::unique_ptr<Evaluation> evaluation = task.start_evaluation();
    evaluation->add(eval_batch, precision_scope(*components.strategy));
    evaluation->means();
    if (device.is_cuda()) torch::cuda::synchronize();
  }
  return peak_memory_mb(device) - baseline;
}

}  // namespace

double default_memory_budget_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    if (line.rfind("MemAvailable:", 0) == 0) {
      return 0.5 * std::stod(line.substr(13)) * 1024.0;  // the kernel reports kB
    }
  }
  throw Error("cannot read MemAvailable from /proc/meminfo; give --memory-budget GiB");
}

BatchFinderResult find_largest_batch(ComponentFactory& factory, const TrialSpec& trial,
                                     const BatchFinderOptions& options) {
  if (options.margin < 0) throw Error("batch finder: the safety margin must not be negative");
  const torch::Device device(trial.train.device);
  BatchFinderResult result;
  result.budget_mb = device.is_cpu() ? (options.budget_bytes > 0 ? options.budget_bytes
                                                                 : default_memory_budget_bytes()) /
                                           (1024.0 * 1024.0)
                                     : NAN;
  result.limit = options.max_batch;
  if (result.limit < 1) {
    BuildContext context;
    context.device = torch::kCPU;
    context.seed = trial.seed;
    const auto source = make_trial_source(factory, trial, context);
    result.limit = std::max<int64_t>(
        1, make_trial_splits(*source, trial.split, trial.seed).train.size(0));
  }

  const auto fits = [&](int64_t batch) {
    BatchProbe probe;
    probe.batch = batch;
    probe.needed_mb = NAN;
    try {
      probe.needed_mb = measure_probe(factory, trial, device, batch);
      probe.fits =
          device.is_cpu() ? probe.needed_mb * (1.0 + options.margin) <= result.budget_mb : true;
    } catch (const c10::OutOfMemoryError&) {
      probe.note = "out of memory";
    } catch (const std::bad_alloc&) {
      probe.note = "out of memory";
    }
    if (options.log) {
      *options.log << "  batch " << std::setw(5) << batch << ": "
                   << (std::isnan(probe.needed_mb)
                           ? std::string("-")
                           : std::to_string(static_cast<int64_t>(std::lround(probe.needed_mb))) +
                                 " MiB")
                   << (probe.fits ? " fits" : " does not fit")
                   << (probe.note.empty() ? "" : " (" + probe.note + ")") << "\n"
                   << std::flush;
    }
    result.probes.push_back(probe);
    return probe.fits;
  };
  // The first step of a process also pays one-time costs (thread pools,
  // the convolution library's caches): an unrecorded batch-1 probe first
  // keeps them out of every recorded need.
  try {
    measure_probe(factory, trial, device, 1);
  } catch (const c10::OutOfMemoryError&) {
  } catch (const std::bad_alloc&) {
  }
  const BatchSearchResult search = search_largest_batch(fits, result.limit);
  if (search.largest < 1) {
    std::ostringstream message;
    message << "trial '" << trial.key << "': not even batch 1 fits";
    if (device.is_cpu()) {
      message << " the memory budget of " << std::fixed << std::setprecision(0) << result.budget_mb
              << " MiB (it needs " << result.probes.front().needed_mb << " MiB plus "
              << 100.0 * options.margin << " % margin)";
    }
    throw Error(message.str());
  }
  result.batch = search.largest;
  // The allocator's cache and fragmentation are invisible to a no-OOM test:
  // keep the margin off the largest batch that ran.
  if (!device.is_cpu()) {
    result.batch =
        std::max<int64_t>(1, static_cast<int64_t>(std::floor(static_cast<double>(search.largest) /
                                                             (1.0 + options.margin))));
  }
  return result;
}

}  // namespace stegolab
