// The LibTorch operators a piece of work runs, with their self and total CPU
// time, from LibTorch's own (legacy, CPU) profiler: a developer's view of
// where a training step goes, printed by `bench step --profile N`.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace stegolab {

struct OperatorTime {
  std::string name;       // "aten::mkldnn_convolution", "ConvolutionBackward0", ...
  double self_ms = 0.0;   // inside this operator, not in operators it called
  double total_ms = 0.0;  // including the operators it called
  int64_t calls = 0;
};

// Runs `work` under the profiler; every operator it ran, largest self time
// first. Times are summed over the threads that recorded operators.
std::vector<OperatorTime> profile_operators(const std::function<void()>& work);

// The first `top` rows of `table` (as profile_operators orders it), with each
// row's share of all operators' self time.
void print_operator_table(std::ostream& out, const std::vector<OperatorTime>& table, size_t top);

}  // namespace stegolab
