#include "run/rank_follower.hpp"

#include <ostream>
#include <streambuf>

#include "distributed/data_parallel_group.hpp"
#include "run/trial_announcement.hpp"
#include "run/trial_attempts.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

namespace {

// Rank 0 records; what the others would record is the same.
class DiscardingSink : public EpochSink {
 public:
  void on_epoch(int64_t, const std::vector<MetricRow>&) override {}
  void on_event(int64_t, const std::string&, const std::string&) override {}
};

class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
};

const TrialSpec& announced_trial(const ExperimentSpec& spec, const std::string& key) {
  for (const TrialSpec& trial : spec.trials) {
    if (trial.key == key) return trial;
  }
  throw Error("data-parallel run: rank 0 announced trial '" + key + "', which experiment '" +
              spec.name + "' in " + spec.file +
              " does not hold (do all ranks read the same experiment file?)");
}

}  // namespace

void follow_leader(const PluginRegistry& registry, const ExperimentSpec& spec,
                   const RunOptions& options, const std::atomic<bool>* interrupt) {
  DataParallelGroup& group = *options.data_parallel;
  NullBuffer discard;
  std::ostream quiet(&discard);
  TrainerOptions trainer_options;
  trainer_options.interrupt = interrupt;
  trainer_options.live_progress = false;
  trainer_options.out = &quiet;
  trainer_options.data_parallel = &group;
  Trainer trainer(registry, trainer_options);
  DiscardingSink sink;
  for (;;) {
    const TrialAnnouncement announcement = next_announcement(group);
    if (announcement.end) return;
    TrialSpec trial = announced_trial(spec, announcement.key);
    apply_machine_settings(trial, options, spec.file);
    TrialRun run;  // no checkpoint folder: nothing is written
    run.resume_from = announcement.resume_from;
    const TrialOutcome outcome = trainer.run(trial, run, sink);
    // An unusable checkpoint fails on every rank alike; rank 0 starts the
    // trial afresh and announces it again.
    if (outcome.status == TrialStatus::failed && !outcome.checkpoint_unusable) {
      throw Error("data-parallel rank " + std::to_string(group.rank()) + ", trial " + trial.key +
                  ": " + outcome.error);
    }
  }
}

}  // namespace stegolab
