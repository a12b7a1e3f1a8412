#include "reversible_stack.hpp"

#include <cstdint>

#include <torch/csrc/autograd/custom_function.h>

namespace stegolab::star_inn {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct ReversibleStackFunction : torch::autograd::Function<ReversibleStackFunction> {
  // `parameters` are all blocks' parameters in order; they are inputs only so
  // that autograd knows the output depends on them and asks for their grads.
  static torch::Tensor forward(AutogradContext* ctx, std::vector<StarInnBlock>* blocks,
                               const torch::Tensor& x, torch::TensorList parameters) {
    ctx->saved_data["blocks"] = reinterpret_cast<int64_t>(blocks);
    ctx->saved_data["parameter_count"] = static_cast<int64_t>(parameters.size());
    torch::Tensor y;
    {
      torch::NoGradGuard no_grad;
      y = x;
      for (auto& block : *blocks) y = block->forward(y);
    }
    ctx->save_for_backward({y});
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    auto* blocks = reinterpret_cast<std::vector<StarInnBlock>*>(ctx->saved_data["blocks"].toInt());
    const int64_t parameter_count = ctx->saved_data["parameter_count"].toInt();
    torch::Tensor y = ctx->get_saved_variables()[0];
    torch::Tensor grad_y = grad_outputs[0];

    // Gradients per block, filled from the last block backwards.
    std::vector<variable_list> block_grads(blocks->size());
    for (int64_t b = static_cast<int64_t>(blocks->size()) - 1; b >= 0; --b) {
      auto& block = (*blocks)[b];
      torch::Tensor x;
      {
        torch::NoGradGuard no_grad;
        x = block->inverse(y);
      }
      torch::AutoGradMode enable_grad(true);
      x = x.detach().requires_grad_(true);
      const auto y_again = block->forward(x);
      variable_list inputs{x};
      const auto parameters = block->parameters();
      inputs.insert(inputs.end(), parameters.begin(), parameters.end());
      auto grads = torch::autograd::grad({y_again}, inputs, {grad_y}, /*retain_graph=*/false,
                                         /*create_graph=*/false, /*allow_unused=*/true);
      grad_y = grads[0];
      block_grads[b].assign(grads.begin() + 1, grads.end());
      y = x.detach();
    }

    variable_list result;
    result.reserve(2 + parameter_count);
    result.emplace_back();  // blocks: not a tensor
    result.push_back(grad_y);
    for (auto& grads : block_grads) result.insert(result.end(), grads.begin(), grads.end());
    return result;
  }
};

}  // namespace

torch::Tensor run_reversible(std::vector<StarInnBlock>& blocks, const torch::Tensor& x) {
  std::vector<torch::Tensor> parameters;
  for (auto& block : blocks) {
    const auto own = block->parameters();
    parameters.insert(parameters.end(), own.begin(), own.end());
  }
  return ReversibleStackFunction::apply(&blocks, x, torch::TensorList(parameters));
}

}  // namespace stegolab::star_inn
