// The block stack run in "recompute" memory mode (RevNet-style): the forward
// pass keeps no activations, only the stack's output; backward rebuilds each
// block's input through the block's exact inverse, re-runs that one block
// with gradients and back-propagates through it. Memory no longer grows with
// the number of blocks, at the price of one extra forward and inverse per
// block in backward.
#pragma once

#include <vector>

#include <torch/torch.h>

#include "star_inn_block.hpp"

namespace stegolab::star_inn {

// x: NCHW coefficients. Gradients reach the blocks' parameters as with a plain
// `for (block : blocks) x = block(x)`, up to the inverse's fp rounding.
torch::Tensor run_reversible(std::vector<StarInnBlock>& blocks, const torch::Tensor& x);

}  // namespace stegolab::star_inn
