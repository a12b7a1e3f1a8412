#include "store/result_records.hpp"

#include <array>
#include <utility>

namespace stegolab {

namespace {

constexpr std::array<std::pair<TrialStatus, const char*>, 5> kStatusNames = {{
    {TrialStatus::pending, "pending"},
    {TrialStatus::running, "running"},
    {TrialStatus::done, "done"},
    {TrialStatus::failed, "failed"},
    {TrialStatus::interrupted, "interrupted"},
}};

constexpr std::array<std::pair<Split, const char*>, 3> kSplitNames = {{
    {Split::train, "train"},
    {Split::val, "val"},
    {Split::test, "test"},
}};

template <typename Value, size_t N>
const char* name_in(const std::array<std::pair<Value, const char*>, N>& names, Value value) {
  for (const auto& [known, name] : names) {
    if (known == value) return name;
  }
  return "unknown";
}

template <typename Value, size_t N>
std::optional<Value> value_in(const std::array<std::pair<Value, const char*>, N>& names,
                              const std::string& name) {
  for (const auto& [value, known] : names) {
    if (name == known) return value;
  }
  return std::nullopt;
}

}  // namespace

const char* status_name(TrialStatus status) { return name_in(kStatusNames, status); }

std::optional<TrialStatus> parse_trial_status(const std::string& name) {
  return value_in(kStatusNames, name);
}

const char* split_name(Split split) { return name_in(kSplitNames, split); }

std::optional<Split> parse_split(const std::string& name) { return value_in(kSplitNames, name); }

std::ostream& operator<<(std::ostream& out, TrialStatus status) {
  return out << status_name(status);
}

std::ostream& operator<<(std::ostream& out, Split split) { return out << split_name(split); }

}  // namespace stegolab
