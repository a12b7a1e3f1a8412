#include "bench/operator_profile.hpp"

#include <algorithm>
#include <iomanip>
#include <map>

#include <torch/csrc/autograd/profiler_legacy.h>

namespace stegolab {

namespace {

namespace profiler = torch::autograd::profiler;

struct OpenRange {
  const profiler::LegacyEvent* push;
  double children_us = 0.0;
};

// One thread's push/pop events, nested; a pop names its push by handle (an
// operator that ends on another thread is filed under the thread it began on).
void add_thread_events(const std::vector<profiler::LegacyEvent>& events,
                       std::map<std::string, OperatorTime>& by_name) {
  std::vector<OpenRange> open;
  for (const auto& event : events) {
    if (event.kindStr() == "push") {
      open.push_back({&event});
      continue;
    }
    if (event.kindStr() != "pop") continue;
    auto match = std::find_if(open.rbegin(), open.rend(), [&](const OpenRange& range) {
      return range.push->handle() == event.handle();
    });
    if (match == open.rend()) continue;
    const double total_us = match->push->cpuElapsedUs(event);
    OperatorTime& entry = by_name[match->push->name()];
    entry.total_ms += total_us / 1e3;
    entry.self_ms += (total_us - match->children_us) / 1e3;
    entry.calls += 1;
    open.erase(std::next(match).base(), open.end());
    if (!open.empty()) open.back().children_us += total_us;
  }
}

}  // namespace

std::vector<OperatorTime> profile_operators(const std::function<void()>& work) {
  profiler::enableProfilerLegacy(
      torch::profiler::impl::ProfilerConfig(torch::profiler::impl::ProfilerState::CPU));
  try {
    work();
  } catch (...) {
    profiler::disableProfilerLegacy();
    throw;
  }
  const profiler::thread_event_lists lists = profiler::disableProfilerLegacy();
  std::map<std::string, OperatorTime> by_name;
  for (const auto& events : lists) add_thread_events(events, by_name);
  std::vector<OperatorTime> table;
  for (auto& [name, entry] : by_name) {
    entry.name = name;
    table.push_back(entry);
  }
  std::sort(table.begin(), table.end(),
            [](const OperatorTime& a, const OperatorTime& b) { return a.self_ms > b.self_ms; });
  return table;
}

void print_operator_table(std::ostream& out, const std::vector<OperatorTime>& table, size_t top) {
  double all_self_ms = 0.0;
  for (const auto& row : table) all_self_ms += row.self_ms;
  out << std::fixed << std::setprecision(1) << "  " << std::left << std::setw(44) << "operator"
      << std::right << std::setw(11) << "self ms" << std::setw(8) << "self %" << std::setw(11)
      << "total ms" << std::setw(8) << "calls"
      << "\n";
  for (size_t i = 0; i < std::min(top, table.size()); ++i) {
    const OperatorTime& row = table[i];
    out << "  " << std::left << std::setw(44) << row.name.substr(0, 43) << std::right
        << std::setw(11) << row.self_ms << std::setw(8)
        << (all_self_ms > 0.0 ? 100.0 * row.self_ms / all_self_ms : 0.0) << std::setw(11)
        << row.total_ms << std::setw(8) << row.calls << "\n";
  }
  out << "  (all operators: " << all_self_ms << " ms self time, " << table.size() << " distinct)\n";
}

}  // namespace stegolab
