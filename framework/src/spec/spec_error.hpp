// SpecError: the experiment file is unreadable or invalid.
#pragma once

#include "stegolab/errors.hpp"

namespace stegolab {

// Every message has the shape `<file>: <json path>: <what was expected>`, so
// a user can find the offending value without reading any code.
class SpecError : public Error {
 public:
  using Error::Error;
};

}  // namespace stegolab
