#include "reversible_stack.hpp"

#include <cstdint>

#include <torch/csrc/autograd/custom_function.h>

#include "stegolab/torch_compat.hpp"

namespace stegolab::star_inn {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// One block step of the stack in `direction`, and its exact counterpart.
torch::Tensor step(StarInnBlock& block, const torch::Tensor& x, StackDirection direction) {
  return direction == StackDirection::embedding ? block->forward(x) : block->inverse(x);
}
torch::Tensor undo_step(StarInnBlock& block, const torch::Tensor& y, StackDirection direction) {
  return direction == StackDirection::embedding ? block->inverse(y) : block->forward(y);
}

struct ReversibleStackFunction : torch::autograd::Function<ReversibleStackFunction> {
  // `parameters` are all blocks' parameters in block order; they are inputs
  // only so that autograd knows the output depends on them and asks for their
  // gradients.
  static torch::Tensor forward(AutogradContext* ctx, std::vector<StarInnBlock>* blocks,
                               StackDirection direction, const torch::Tensor& x,
                               torch::TensorList parameters) {
    ctx->saved_data["blocks"] = reinterpret_cast<int64_t>(blocks);
    ctx->saved_data["direction"] = static_cast<int64_t>(direction);
    ctx->saved_data["parameter_count"] = static_cast<int64_t>(parameters.size());
    // Backward runs outside the caller's autocast scope; the recomputation
    // must see the same precision as this pass (as PyTorch's checkpoint does).
    const auto device = x.device().type();
    const bool autocast = compat::autocast_enabled(device);
    ctx->saved_data["autocast"] = autocast;
    ctx->saved_data["input_dtype"] = static_cast<int64_t>(x.scalar_type());
    ctx->saved_data["autocast_dtype"] =
        static_cast<int64_t>(autocast ? compat::autocast_dtype(device) : at::kFloat);
    torch::Tensor y = x;
    {
      torch::NoGradGuard no_grad;
      for (int64_t b : order(*blocks, direction)) y = step((*blocks)[b], y, direction);
    }
    ctx->save_for_backward({y});
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    auto* blocks = reinterpret_cast<std::vector<StarInnBlock>*>(ctx->saved_data["blocks"].toInt());
    const auto direction = static_cast<StackDirection>(ctx->saved_data["direction"].toInt());
    const int64_t parameter_count = ctx->saved_data["parameter_count"].toInt();
    torch::Tensor y = ctx->get_saved_variables()[0];
    torch::Tensor grad_y = grad_outputs[0];
    const auto input_dtype = static_cast<at::ScalarType>(ctx->saved_data["input_dtype"].toInt());
    const auto autocast_dtype =
        static_cast<at::ScalarType>(ctx->saved_data["autocast_dtype"].toInt());
    const bool autocast = ctx->saved_data["autocast"].toBool();
    const auto rebuild_dtype = at::promote_types(input_dtype, at::kFloat);

    // Gradients per block, filled from the last step of the pass backwards.
    std::vector<variable_list> block_grads(blocks->size());
    auto steps = order(*blocks, direction);
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
      auto& block = (*blocks)[*it];
      // The input is rebuilt in fp32 (or wider) outside autocast: more exact,
      // and an autocast scope would cache gradient-less casts of the weights
      // that the recomputation below would then reuse. The recomputation gets
      // it in the dtype the pass was given, as the forward pass did.
      torch::Tensor x;
      {
        torch::NoGradGuard no_grad;
        x = undo_step(block, y.to(rebuild_dtype), direction);
      }
      torch::AutoGradMode enable_grad(true);
      x = x.detach().to(input_dtype).requires_grad_(true);
      torch::Tensor y_again;
      {
        const compat::AutocastScope scope(y.device().type(), autocast_dtype, autocast);
        y_again = step(block, x, direction);
      }
      variable_list inputs{x};
      const auto parameters = block->parameters();
      inputs.insert(inputs.end(), parameters.begin(), parameters.end());
      auto grads = torch::autograd::grad({y_again}, inputs, {grad_y.to(y_again.scalar_type())},
                                         /*retain_graph=*/false,
                                         /*create_graph=*/false, /*allow_unused=*/true);
      grad_y = grads[0];
      block_grads[*it].assign(grads.begin() + 1, grads.end());
      y = x.detach();
    }

    variable_list result;
    result.reserve(3 + parameter_count);
    result.emplace_back();  // blocks: not a tensor
    result.emplace_back();  // direction: not a tensor
    result.push_back(grad_y);
    for (auto& grads : block_grads) result.insert(result.end(), grads.begin(), grads.end());
    return result;
  }

  // Block indices in the order the pass applies them.
  static std::vector<int64_t> order(const std::vector<StarInnBlock>& blocks,
                                    StackDirection direction) {
    const auto count = static_cast<int64_t>(blocks.size());
    std::vector<int64_t> indices(static_cast<std::size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
      indices[static_cast<std::size_t>(i)] =
          direction == StackDirection::embedding ? i : count - 1 - i;
    }
    return indices;
  }
};

}  // namespace

torch::Tensor run_reversible(std::vector<StarInnBlock>& blocks, const torch::Tensor& x,
                             StackDirection direction) {
  std::vector<torch::Tensor> parameters;
  for (auto& block : blocks) {
    const auto own = block->parameters();
    parameters.insert(parameters.end(), own.begin(), own.end());
  }
  return ReversibleStackFunction::apply(&blocks, direction, x, torch::TensorList(parameters));
}

}  // namespace stegolab::star_inn
