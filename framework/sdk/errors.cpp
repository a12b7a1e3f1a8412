#include "stegolab/errors.hpp"

namespace stegolab {

// Out-of-line destructors anchor each type's vtable and typeinfo in the SDK
// library, so a ParamError thrown in a plugin is caught as one in the host.
Error::~Error() = default;
ParamError::~ParamError() = default;
PluginError::~PluginError() = default;

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace stegolab
