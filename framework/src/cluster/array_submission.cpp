#include "cluster/array_submission.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cluster/program_run.hpp"
#include "stegolab/errors.hpp"

namespace stegolab {

std::filesystem::path ArraySubmission::file_in(const std::filesystem::path& shards_folder) {
  return shards_folder / "submission.json";
}

std::optional<ArraySubmission> ArraySubmission::load(const std::filesystem::path& shards_folder) {
  const std::filesystem::path file = file_in(shards_folder);
  std::ifstream in(file);
  if (!in) return std::nullopt;
  const nlohmann::json stored = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  try {
    ArraySubmission submission;
    submission.job_id = stored.at("job_id").get<std::string>();
    submission.shards = stored.at("shards").get<int64_t>();
    submission.trials = stored.at("trials").get<int64_t>();
    submission.experiment_name = stored.at("experiment").get<std::string>();
    submission.experiment_file = stored.at("experiment_file").get<std::string>();
    submission.submitted_at = stored.at("submitted_at").get<std::string>();
    return submission;
  } catch (const nlohmann::json::exception&) {
    throw Error("'" + file.string() +
                "' is not a submission record of stegolab submit (delete it "
                "if no job of it is queued)");
  }
}

void ArraySubmission::save(const std::filesystem::path& shards_folder) const {
  const std::filesystem::path file = file_in(shards_folder);
  const nlohmann::json stored = {{"job_id", job_id},
                                 {"shards", shards},
                                 {"trials", trials},
                                 {"experiment", experiment_name},
                                 {"experiment_file", experiment_file},
                                 {"submitted_at", submitted_at}};
  std::ofstream out(file);
  out << stored.dump(2) << "\n";
  if (!out.flush()) throw Error("cannot write '" + file.string() + "'");
}

std::map<int64_t, std::string> queued_array_tasks(const std::string& job_id) {
  // -r: one line per array task, pending ones too; %K is the task index.
  const ProgramRun squeue =
      ProgramRun::run({"squeue", "-h", "-r", "-j", job_id, "-o", "%K %T %M %R"});
  std::map<int64_t, std::string> tasks;
  if (!squeue.ok()) {
    // A job that has left Slurm's memory is "invalid" to squeue: none queued.
    if (squeue.output.find("Invalid job id") != std::string::npos) return tasks;
    throw Error("squeue -j " + job_id + ": " + squeue.first_output_line());
  }
  std::istringstream lines(squeue.output);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t space = line.find(' ');
    const std::string index = line.substr(0, space);
    if (space == std::string::npos || index.empty() ||
        index.find_first_not_of("0123456789") != std::string::npos)
      continue;
    tasks[std::stoll(index)] = line.substr(space + 1);
  }
  return tasks;
}

}  // namespace stegolab
