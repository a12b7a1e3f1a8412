#include "trainer/trainer.hpp"

#include <utility>

#include <c10/util/Exception.h>

#include "stegolab/errors.hpp"
#include "trainer/trial_execution.hpp"

namespace stegolab {

Trainer::Trainer(std::shared_ptr<ComponentFactory> factory, TrainerOptions options)
    : factory_(std::move(factory)), options_(options) {
  if (!factory_) throw Error("Trainer needs a component factory");
  if (options_.out == nullptr) options_.out = &std::cerr;
}

TrialOutcome Trainer::run(const TrialSpec& trial, const TrialRun& run, EpochSink& sink) {
  TrialExecution execution(*factory_, checkpointer_.get(), options_, trial, run, sink);
  TrialOutcome failed;
  failed.status = TrialStatus::failed;
  try {
    return execution.execute();
  } catch (const UnusableCheckpoint& error) {
    failed.error = error.what();
    failed.checkpoint_unusable = true;
  } catch (const c10::OutOfMemoryError&) {
    failed.error = "out of memory at " + execution.position();
  } catch (const std::bad_alloc&) {
    failed.error = "out of memory at " + execution.position();
  } catch (const c10::Error& error) {
    failed.error =
        first_line(error.what_without_backtrace()) + " (at " + execution.position() + ")";
  } catch (const std::exception& error) {
    failed.error = first_line(error.what());
  }
  execution.finish_progress();
  failed.epochs_completed = execution.epochs_completed();
  return failed;
}

}  // namespace stegolab
