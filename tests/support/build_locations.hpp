// Where this build put the program, the plugins and the test fixtures, and
// where its sources are. They come from a source file CMake generates, not
// from -D flags: a flag holding an absolute path differs between checkouts,
// so every test compiled with it would miss ccache in a fresh clone.
#pragma once

namespace stegolab_test {

const char* plugin_dir();
const char* fixture_dir();
const char* program_path();
const char* build_dir();
const char* source_dir();

}  // namespace stegolab_test

#define STEGOLAB_TEST_PLUGIN_DIR (::stegolab_test::plugin_dir())
#define STEGOLAB_TEST_FIXTURE_DIR (::stegolab_test::fixture_dir())
#define STEGOLAB_TEST_BINARY (::stegolab_test::program_path())
#define STEGOLAB_TEST_BUILD_DIR (::stegolab_test::build_dir())
#define STEGOLAB_SOURCE_DIR (::stegolab_test::source_dir())
