// A fresh, empty temporary folder for the running test, named after the
// process and the test so that tests run in parallel (ctest -j) never share
// one. The fixture removes it in TearDown.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace stegolab::testing {

inline std::filesystem::path make_test_folder(const std::string& prefix) {
  const auto folder = std::filesystem::temp_directory_path() /
                      (prefix + "_" + std::to_string(::getpid()) + "_" +
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

}  // namespace stegolab::testing
