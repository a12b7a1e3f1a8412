#include "cluster/slurm_requeue.hpp"

#include <cstdlib>

#include "cluster/program_run.hpp"

namespace stegolab {

namespace {

// Slurm job ids are digits, array tasks "<digits>_<digits>".
bool plain_slurm_job_id(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789_") == std::string::npos;
}

std::string environment_value(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// JobState=... of `scontrol show job -o JOB`; "" when it cannot be read.
std::string slurm_job_state(const std::string& job) {
  const ProgramRun shown = ProgramRun::run({"scontrol", "show", "job", "-o", job});
  if (!shown.ok()) return "";
  const size_t at = shown.output.find("JobState=");
  if (at == std::string::npos) return "";
  const size_t begin = at + 9;
  return shown.output.substr(begin, shown.output.find_first_of(" \n", begin) - begin);
}

}  // namespace

std::optional<std::string> slurm_job_from_environment() {
  const std::string array_job = environment_value("SLURM_ARRAY_JOB_ID");
  const std::string task = environment_value("SLURM_ARRAY_TASK_ID");
  const std::string job = !array_job.empty() && !task.empty() ? array_job + "_" + task
                                                              : environment_value("SLURM_JOB_ID");
  if (!plain_slurm_job_id(job)) return std::nullopt;
  return job;
}

std::string requeue_slurm_job(const std::string& job) {
  const std::string state = slurm_job_state(job);
  if (state == "CANCELLED") {
    return "Slurm job " + job + " was cancelled, so it is not requeued";
  }
  const ProgramRun requeue = ProgramRun::run({"scontrol", "requeue", job});
  if (!requeue.ok()) {
    return "could not requeue Slurm job " + job +
           ": scontrol requeue: " + requeue.first_output_line() +
           " (run the task again to resume it)";
  }
  return "requeued Slurm job " + job +
         "; when it runs again, it resumes from the checkpoints written now";
}

}  // namespace stegolab
