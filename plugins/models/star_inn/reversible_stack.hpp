// The block stack run in "recompute" memory mode (RevNet-style): a pass keeps
// no activations, only the stack's output; backward rebuilds each block's
// input from its output through the block's exact counterpart (the inverse
// for the embedding pass, the forward for the extraction pass), re-runs that
// one block with gradients and back-propagates through it. Memory no longer
// grows with the number of blocks, at the price of one extra forward and
// inverse per block in backward.
#pragma once

#include <vector>

#include <torch/torch.h>

#include "star_inn_block.hpp"

namespace stegolab::star_inn {

enum class StackDirection {
  embedding,   // blocks 1..B, each block's forward
  extraction,  // blocks B..1, each block's inverse
};

// x: NCHW coefficients. Gradients reach the blocks' parameters (and x) as with
// a plain `for (block : blocks) x = block(x)` (or the inverses in reverse
// order), up to the fp rounding of rebuilding the activations.
torch::Tensor run_reversible(std::vector<StarInnBlock>& blocks, const torch::Tensor& x,
                             StackDirection direction);

}  // namespace stegolab::star_inn
