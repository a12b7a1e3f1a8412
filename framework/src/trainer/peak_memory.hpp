// Moved to device/peak_memory.hpp; the trainer and the batch-size finder still
// include it by this name.
#pragma once

#include "device/peak_memory.hpp"
