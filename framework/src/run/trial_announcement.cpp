#include "run/trial_announcement.hpp"

#include <nlohmann/json.hpp>

namespace stegolab {

void announce_trial(DataParallelGroup& group, const std::string& key, const TrialRun& run) {
  const nlohmann::json message = {
      {"key", key}, {"resume_from", run.resume_from ? run.resume_from->string() : std::string()}};
  group.post(message.dump());
}

void announce_end(DataParallelGroup& group) { group.post(nlohmann::json{{"end", true}}.dump()); }

TrialAnnouncement next_announcement(DataParallelGroup& group) {
  const nlohmann::json message = nlohmann::json::parse(group.receive());
  TrialAnnouncement announcement;
  announcement.end = message.value("end", false);
  announcement.key = message.value("key", "");
  const std::string resume = message.value("resume_from", "");
  if (!resume.empty()) announcement.resume_from = resume;
  return announcement;
}

}  // namespace stegolab
