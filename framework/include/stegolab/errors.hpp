// Exception types a plugin may throw and the host reports to the user.
#pragma once

#include <stdexcept>
#include <string>

#include "stegolab/export.hpp"

namespace stegolab {

// Base of every stegolab error: the CLI prints what() on one line and exits
// non-zero, so the message must carry all the context a user needs.
class STEGOLAB_VISIBLE Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ~Error() override;
};

// A plugin parameter is unknown, missing, ill-typed or out of range.
class STEGOLAB_VISIBLE ParamError : public Error {
 public:
  using Error::Error;
  ~ParamError() override;
};

// A plugin was asked to do something it cannot (bad input shape, ...).
class STEGOLAB_VISIBLE PluginError : public Error {
 public:
  using Error::Error;
  ~PluginError() override;
};

// The first line of `text`: LibTorch's messages carry a C++ backtrace after
// it, and users need the first line.
STEGOLAB_VISIBLE std::string first_line(const std::string& text);

}  // namespace stegolab
