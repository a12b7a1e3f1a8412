#include "distributed/gradient_reducer.hpp"

#include <algorithm>

#include "distributed/c10d_compat.hpp"
#include "distributed/data_parallel_group.hpp"
#include "stegolab/errors.hpp"

namespace stegolab {

GradientReducer::GradientReducer(const std::vector<torch::Tensor>& parameters,
                                 DataParallelGroup& group) {
  std::vector<torch::Tensor> trainable;
  for (const torch::Tensor& parameter : parameters) {
    if (parameter.requires_grad()) trainable.push_back(parameter);
  }
  if (trainable.empty())
    throw Error("data-parallel training: the trial has no trainable parameter");
  const std::vector<size_t> limits{static_cast<size_t>(c10d::kDefaultFirstBucketBytes),
                                   static_cast<size_t>(c10d::kDefaultBucketBytesCap)};
  // As DistributedDataParallel does: buckets come back ordered by their
  // first parameter and are handed over in reverse, since gradients become
  // ready roughly from the last layer to the first.
  auto [buckets, bucket_limits] = c10d::compute_bucket_assignment_by_size(trainable, limits);
  std::reverse(buckets.begin(), buckets.end());
  std::reverse(bucket_limits.begin(), bucket_limits.end());
  bucket_count_ = buckets.size();
  reducer_ = compat::make_reducer(trainable, std::move(buckets), std::move(bucket_limits),
                                  group.process_group());
}

GradientReducer::~GradientReducer() = default;

void GradientReducer::expect_backward() { reducer_->prepare_for_backward({}); }

}  // namespace stegolab
