// DataParallelTrial: what one rank of a data-parallel trial does differently
// from a lone process, kept out of the single-process path: its share of each
// global batch and of each evaluation pass, the loss and metrics as means
// over all ranks (so that every decision is the same on every rank), the
// parameters taken from rank 0, and the gradients averaged by c10d.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "distributed/data_parallel_group.hpp"
#include "distributed/gradient_reducer.hpp"
#include "stegolab/strategy.hpp"
#include "stegolab/tensor_map.hpp"
#include "trainer/trial_components.hpp"

namespace stegolab {

class DataParallelTrial {
 public:
  explicit DataParallelTrial(DataParallelGroup& group) : group_(group) {}

  int world() const { return group_.world(); }
  bool leads() const { return group_.leads(); }
  // Whether `flag` is true on any rank (a collective: every rank asks).
  bool any_rank(bool flag);
  // This rank's part of a global batch of `global_batch` samples; throws one
  // line when the ranks cannot share it equally.
  int64_t rank_batch(int64_t global_batch) const;
  // After the components are built (and a checkpoint loaded): rank 0's
  // parameters and buffers on every rank, and the gradient reducer.
  void attach(const TrialComponents& components);
  // From an epoch's sample lists in global batches of `global_batch` rows:
  // this rank's contiguous part of every batch, in order.
  TensorMap training_share(const TensorMap& samples, int64_t global_batch) const;
  // This rank's contiguous block of an evaluation pass's sample lists.
  TensorMap evaluation_share(const TensorMap& samples) const;
  // `loss` whose value (total and terms) is the mean over the ranks, its
  // gradient unchanged; the last of `micro_batches` calls arms the reducer
  // for the backward pass that follows it.
  LossFunction synchronised(LossFunction loss, int64_t micro_batches);
  // Each rank's means over its `samples` -> the means over all samples;
  // returns the total sample count through `all_samples`.
  std::vector<std::pair<std::string, double>> mean_over_ranks(
      const std::vector<std::pair<std::string, double>>& means, int64_t samples,
      int64_t& all_samples);

 private:
  DataParallelGroup& group_;
  std::unique_ptr<GradientReducer> reducer_;
};

}  // namespace stegolab
