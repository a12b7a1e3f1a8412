// GradientReducer: averages the gradients of a set of parameters over the
// ranks with c10d's Reducer, the engine under PyTorch's
// DistributedDataParallel: parameters are grouped into flat buckets (1 MB
// first, then 25 MB), and each bucket's all-reduce starts from an autograd
// hook as soon as its gradients are ready, overlapping the rest of the
// backward pass; the backward pass ends with the averaged gradients in place.
#pragma once

#include <memory>
#include <vector>

#include <torch/types.h>

namespace c10d {
class Reducer;
}

namespace stegolab {

class DataParallelGroup;

class GradientReducer {
 public:
  // `parameters`: every trainable parameter, each of which must receive a
  // gradient in every synchronised backward pass.
  GradientReducer(const std::vector<torch::Tensor>& parameters, DataParallelGroup& group);
  ~GradientReducer();
  GradientReducer(const GradientReducer&) = delete;
  GradientReducer& operator=(const GradientReducer&) = delete;

  // Call before the backward pass whose gradients are to be averaged (the
  // last micro-batch of a step); the earlier ones only accumulate locally.
  void expect_backward();
  std::size_t bucket_count() const { return bucket_count_; }

 private:
  std::unique_ptr<c10d::Reducer> reducer_;
  std::size_t bucket_count_ = 0;
};

}  // namespace stegolab
