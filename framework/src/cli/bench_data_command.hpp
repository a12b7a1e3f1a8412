// `stegolab bench data`: one entry of `stegolab bench`'s benchmarks.
#pragma once

#include "cli/commands.hpp"

namespace stegolab::cli {

int bench_data(const Arguments& args);

}  // namespace stegolab::cli
