// Requeueing the Slurm job this process runs in, once a stop signal (the
// scheduler's warning before a time limit or preemption, or SIGTERM) has
// left every trial recorded and checkpointed: the job goes back to the queue
// and its next run resumes from the checkpoints instead of being counted as
// finished with work undone.
#pragma once

#include <optional>
#include <string>

namespace stegolab {

// The job as scontrol names it: "<SLURM_ARRAY_JOB_ID>_<SLURM_ARRAY_TASK_ID>"
// for an array task, else SLURM_JOB_ID; nullopt outside a Slurm job.
std::optional<std::string> slurm_job_from_environment();

// Runs `scontrol requeue JOB` unless the job was cancelled (a user's scancel
// also sends SIGTERM, and must not be undone). Returns one line saying what
// happened, for the log; never throws.
std::string requeue_slurm_job(const std::string& job);

}  // namespace stegolab
