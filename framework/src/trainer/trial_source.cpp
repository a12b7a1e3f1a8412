#include "trainer/trial_source.hpp"

#include <string>
#include <vector>

#include "data/joined_sources.hpp"
#include "stegolab/errors.hpp"

namespace stegolab {

std::shared_ptr<ImageSource> make_trial_source(ComponentFactory& factory, const TrialSpec& trial,
                                               const BuildContext& context) {
  if (trial.split_sources.empty()) return factory.make_source(trial.data, context);
  std::vector<JoinedSources::Part> parts;
  if (trial.split_sources.size() < 3) parts.push_back({"", factory.make_source(trial.data, context)});
  for (const char* split : {"train", "val", "test"}) {
    const auto found = trial.split_sources.find(split);
    if (found == trial.split_sources.end()) continue;
    try {
      parts.push_back({split, factory.make_source(found->second, context)});
    } catch (const Error& error) {
      throw Error("data." + std::string(split) + ": " + first_line(error.what()));
    }
  }
  return std::make_shared<JoinedSources>(std::move(parts));
}

}  // namespace stegolab
