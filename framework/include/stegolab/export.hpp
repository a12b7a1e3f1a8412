// Symbol visibility for the stegolab SDK.
//
// Plugins are compiled with hidden visibility so that two plugins can never
// clash on an internal symbol. The SDK's interface classes must still have one
// shared type identity across the host and every plugin (dynamic_cast and
// exceptions cross library boundaries), so they are marked visible here.
#pragma once

#define STEGOLAB_VISIBLE __attribute__((visibility("default")))
