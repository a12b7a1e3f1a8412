// `stegolab bench transforms`: one entry of `stegolab bench`'s benchmarks.
#pragma once

#include "cli/commands.hpp"

namespace stegolab::cli {

int bench_transforms(const Arguments& args);

}  // namespace stegolab::cli
