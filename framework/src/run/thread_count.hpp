// How many CPU threads LibTorch may use for a run.
#pragma once

#include <cstdint>
#include <optional>

namespace stegolab {

// --threads (`option`) wins, then the STEGOLAB_THREADS environment variable
// (`environment`, may be null), then the experiment's train.threads when > 0,
// then every hardware thread (LibTorch would otherwise use one here).
// Throws Error naming STEGOLAB_THREADS or --threads for a value that is not a
// positive integer.
int resolve_thread_count(std::optional<int64_t> option, const char* environment,
                         int64_t experiment_threads);

}  // namespace stegolab
