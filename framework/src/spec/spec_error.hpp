// SpecError: the experiment file is unreadable or invalid.
#pragma once

#include <string>

#include "stegolab/errors.hpp"

namespace stegolab {

// Every message has the shape `<file>: <json path>: <what was expected>`, so
// a user can find the offending value without reading any code.
class SpecError : public Error {
 public:
  using Error::Error;
};

// Throws the SpecError for `what` at `path` in `file`, in that shape.
[[noreturn]] inline void fail_spec(const std::string& file, const std::string& path,
                                   const std::string& what) {
  throw SpecError(file + ": " + path + ": " + what);
}

}  // namespace stegolab
