// Stand-in for a LibTorch header that Debian's libtorch-dev (1.13) leaves
// out: c10d's reducer.hpp includes it for two names only, the type of a
// gradient callback (checked by a static_assert) and the pointer type of an
// RPC context member that stegolab never sets. Those two names are declared
// as LibTorch 1.13 declares them; nothing else of distributed autograd is.
// CMake adds this folder to the include path only where the real header is
// missing (see framework/CMakeLists.txt).
#pragma once

#include <functional>
#include <memory>

#include <ATen/core/Tensor.h>

namespace torch::distributed::autograd {

class DistAutogradContext {
 public:
  using GradCallback = std::function<bool(at::Tensor&)>;
};

using ContextPtr = std::shared_ptr<DistAutogradContext>;

}  // namespace torch::distributed::autograd
