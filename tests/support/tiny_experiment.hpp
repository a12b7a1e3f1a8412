// A tiny real experiment for tests that need a results database with done
// trials: synthetic 16x16 images, a one-block StarINN, CPU, seconds to run.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/build_locations.hpp"
#include "support/shell_command.hpp"

// `changes` is merged over the document (JSON merge patch).
inline nlohmann::json tiny_experiment(const nlohmann::json& changes = nlohmann::json::object()) {
  nlohmann::json document = {
      {"name", "tiny"},
      {"description", "A tiny experiment of the test suite."},
      {"data",
       {{"plugin", "synthetic"},
        {"params", {{"size", 16}, {"count", 16}}},
        {"split", {{"train", 0.5}, {"val", 0.25}, {"test", 0.25}}}}},
      {"transform", {{"plugin", "haar_dwt"}}},
      {"model", {{"plugin", "star_inn"}, {"params", {{"blocks", 1}, {"hidden", 8}}}}},
      {"train", {{"epochs", 1}, {"batch_size", 4}, {"device", "cpu"}, {"seed", 3}}},
      {"eval", {{"batch_size", 8}, {"gallery", 3}}}};
  document.merge_patch(changes);
  return document;
}

// A fresh folder under the build tree for the running test.
inline std::filesystem::path fresh_test_folder(const std::string& suite) {
  const auto dir = std::filesystem::path(STEGOLAB_TEST_BUILD_DIR) / suite /
                   ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Writes `document` to <dir>/tiny.json and runs it into <dir>/tiny.db.
inline CommandResult run_tiny_experiment(const std::filesystem::path& dir,
                                         const nlohmann::json& document) {
  std::ofstream(dir / "tiny.json") << document.dump(2);
  return run_shell(std::string(STEGOLAB_TEST_BINARY) + " run " + (dir / "tiny.json").string() +
                   " --db " + (dir / "tiny.db").string() + " --threads 1");
}
