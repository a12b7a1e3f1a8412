// The source tree this binary was built from (its absolute path at configure
// time), defined in a file CMake generates.
#pragma once

namespace stegolab {

const char* source_tree_path();

}  // namespace stegolab
