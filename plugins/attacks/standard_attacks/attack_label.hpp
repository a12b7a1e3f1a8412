// How the attacks write their parameters into their labels.
#pragma once

#include <sstream>
#include <string>

namespace stegolab::attacks {

// A number as short as it reads ("0.5", "90", "1e-05"): up to 6 significant digits.
inline std::string label_number(double value) {
  std::ostringstream text;
  text.precision(6);
  text << value;
  return text.str();
}

}  // namespace stegolab::attacks
