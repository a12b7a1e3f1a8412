#include "run/thread_count.hpp"

#include <algorithm>
#include <string>
#include <thread>

#include "stegolab/errors.hpp"

namespace stegolab {

int resolve_thread_count(std::optional<int64_t> option, const char* environment,
                         int64_t experiment_threads) {
  if (option) {
    if (*option < 1)
      throw Error("--threads: expected a positive integer, got " + std::to_string(*option));
    return static_cast<int>(*option);
  }
  if (environment && *environment) {
    const std::string text = environment;
    size_t used = 0;
    long value = 0;
    try {
      value = std::stol(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || value < 1) {
      throw Error("STEGOLAB_THREADS: expected a positive integer, got \"" + text + "\"");
    }
    return static_cast<int>(value);
  }
  if (experiment_threads > 0) return static_cast<int>(experiment_threads);
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace stegolab
