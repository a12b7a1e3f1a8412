// Parameter groups: parameters a model wants optimised apart from the rest,
// with their own learning rate (the auxiliary quantile parameters of an
// entropy bottleneck). A module registers such parameters on a
// GroupedParameters submodule; the host finds them there and hands them to
// the strategy as a group of their own.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "stegolab/export.hpp"

namespace stegolab {

// A module whose own parameters (and its submodules') form the optimiser
// group `group`, at `learning_rate` where the trial's learning rate is
// train.optimizer.lr; the schedule scales both alike.
class STEGOLAB_VISIBLE GroupedParameters : public torch::nn::Module {
 public:
  GroupedParameters(std::string group, double learning_rate);
  ~GroupedParameters() override;
  const std::string& group() const { return group_; }
  double learning_rate() const { return learning_rate_; }

 private:
  std::string group_;
  double learning_rate_;
};

struct ParameterGroup {
  std::string name;
  double learning_rate = 0.0;
  std::vector<torch::Tensor> parameters;
};

// The parameters of `modules`, split: those under a GroupedParameters
// submodule into their groups (same name, same group; two learning rates for
// one name are an Error), the others into `ungrouped`, each parameter once.
STEGOLAB_VISIBLE std::vector<ParameterGroup> split_parameter_groups(
    const std::vector<std::shared_ptr<torch::nn::Module>>& modules,
    std::vector<torch::Tensor>& ungrouped);

}  // namespace stegolab
