// `stegolab bench step` and `stegolab bench matrix`: entries of `stegolab bench`.
#pragma once

#include "cli/commands.hpp"

namespace stegolab::cli {

int bench_step(const Arguments& args);
int bench_matrix(const Arguments& args);

}  // namespace stegolab::cli
