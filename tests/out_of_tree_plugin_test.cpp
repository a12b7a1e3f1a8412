// The out-of-tree plugin path, end to end, exactly as docs/plugins.md tells a
// user to do it: install this build, build docs/examples/minimal_plugin
// against the installed package with find_package(stegolab), and load the
// result with `stegolab plugins --plugin-path`. It compiles one small source,
// so it takes tens of seconds; it is one test case because its steps depend on
// each other (ctest runs each case in its own process).
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/loss.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kBuildDir = STEGOLAB_TEST_BUILD_DIR;
const fs::path kExampleDir = fs::path(STEGOLAB_SOURCE_DIR) / "docs" / "examples" / "minimal_plugin";

std::string shell_quoted(const fs::path& path) { return "'" + path.string() + "'"; }

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A value of a build's CMakeCache.txt ("KEY:TYPE=VALUE"), or "". The
// out-of-tree build reuses the main build's tools: a plugin must be compiled
// by the same compiler against the same LibTorch as the host.
std::string cache_value(const std::string& key, const fs::path& build_dir = kBuildDir) {
  std::ifstream cache(build_dir / "CMakeCache.txt");
  std::string line;
  while (std::getline(cache, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    const auto equals = line.find('=');
    if (equals != std::string::npos) return line.substr(equals + 1);
  }
  return "";
}

// Runs `command` through the shell with its output in `log`; returns the exit code.
int run_logged(const std::string& command, const fs::path& log) {
  const int status = std::system((command + " >" + shell_quoted(log) + " 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(OutOfTreePlugin, InstallsBuildsAgainstTheInstalledSdkAndLoads) {
  const std::string cmake = cache_value("CMAKE_COMMAND");
  ASSERT_FALSE(cmake.empty()) << "no CMAKE_COMMAND in " << (kBuildDir / "CMakeCache.txt");
  const fs::path work = kBuildDir / "test_scratch" / "out_of_tree";
  const fs::path prefix = work / "prefix";
  const fs::path plugin_build = work / "minimal_plugin";
  fs::remove_all(work);
  fs::create_directories(work);

  // 1. Install the SDK, the host and the in-tree plugins.
  const fs::path install_log = work / "install.log";
  ASSERT_EQ(run_logged(shell_quoted(cmake) + " --install " + shell_quoted(kBuildDir) +
                           " --prefix " + shell_quoted(prefix),
                       install_log),
            0)
      << read_text(install_log);
  EXPECT_TRUE(fs::exists(prefix / "lib" / "cmake" / "stegolab" / "stegolabConfig.cmake"));
  EXPECT_TRUE(fs::exists(prefix / "include" / "stegolab" / "plugin.hpp"));
  EXPECT_TRUE(fs::exists(prefix / "bin" / "stegolab"));
  // The loader fixtures are for tests only and must never be installed.
  EXPECT_FALSE(fs::exists(prefix / "lib" / "stegolab" / "plugins" / "stegolab_fixture_good.so"));

  // 2. Configure and build the example against the installed package only:
  // the prefix comes first, then whatever the main build needed to find
  // LibTorch and the other dependencies.
  std::string configure = shell_quoted(cmake) + " -S " + shell_quoted(kExampleDir) + " -B " +
                          shell_quoted(plugin_build) + " -G '" + cache_value("CMAKE_GENERATOR") +
                          "'" + " -DCMAKE_BUILD_TYPE=" + cache_value("CMAKE_BUILD_TYPE") +
                          " '-DCMAKE_CXX_COMPILER=" + cache_value("CMAKE_CXX_COMPILER") + "'" +
                          " '-DCMAKE_PREFIX_PATH=" + prefix.string();
  const std::string prefix_path = cache_value("CMAKE_PREFIX_PATH");
  if (!prefix_path.empty()) configure += ";" + prefix_path;
  configure += "'";
  for (const char* key : {"CMAKE_MAKE_PROGRAM", "Torch_DIR"}) {
    const std::string value = cache_value(key);
    if (!value.empty() && value.find("NOTFOUND") == std::string::npos) {
      configure += std::string(" '-D") + key + "=" + value + "'";
    }
  }
  const fs::path configure_log = work / "configure.log";
  ASSERT_EQ(run_logged(configure, configure_log), 0) << configure << "\n"
                                                     << read_text(configure_log);
  // find_package must have used the installed package, not the build tree.
  EXPECT_EQ(cache_value("stegolab_DIR", plugin_build),
            (prefix / "lib" / "cmake" / "stegolab").string());
  const fs::path build_log = work / "build.log";
  ASSERT_EQ(run_logged(shell_quoted(cmake) + " --build " + shell_quoted(plugin_build), build_log),
            0)
      << read_text(build_log);
  const fs::path library = plugin_build / "stegolab_minimal_mse.so";
  ASSERT_TRUE(fs::exists(library)) << read_text(build_log);

  // 3. The host lists it from --plugin-path.
  const std::string list_command = "env -u STEGOLAB_PLUGIN_PATH " +
                                   shell_quoted(STEGOLAB_TEST_BINARY) +
                                   " plugins --json --plugin-path " + shell_quoted(plugin_build);
  const fs::path list_log = work / "plugins.json";
  ASSERT_EQ(std::system((list_command + " >" + shell_quoted(list_log)).c_str()), 0) << list_command;
  const json listing = json::parse(read_text(list_log));
  json found;
  for (const auto& component : listing.at("components")) {
    if (component.at("name") == "minimal_mse") found = component;
  }
  ASSERT_TRUE(found.is_object()) << listing.dump(2);
  EXPECT_EQ(found.at("kind"), "loss");
  EXPECT_EQ(found.at("version"), "1.0.0");
  EXPECT_EQ(found.at("file"), fs::canonical(library).string());
  ASSERT_EQ(found.at("params").size(), 2u);
  EXPECT_EQ(found["params"][0].at("name"), "cover_weight");

  // 4. The installed host (RPATH $ORIGIN/../lib) runs and shows its parameters.
  const fs::path show_log = work / "show.log";
  ASSERT_EQ(run_logged("env -u STEGOLAB_PLUGIN_PATH " + shell_quoted(prefix / "bin" / "stegolab") +
                           " plugins show minimal_mse --plugin-path " + shell_quoted(plugin_build),
                       show_log),
            0)
      << read_text(show_log);
  EXPECT_NE(read_text(show_log).find("secret_weight"), std::string::npos) << read_text(show_log);

  // 5. And it works: built through the registry, it computes
  // cover_weight * MSE(stego, cover) + secret_weight * MSE(recovered, secret)
  // = 2 * 0.5^2 + 1 (default) * 0.1^2 = 0.51.
  stegolab::PluginRegistry registry;
  registry.load(library);
  auto loss = registry.build<stegolab::Loss>("minimal_mse", {{"cover_weight", 2.0}},
                                             stegolab::BuildContext{});
  stegolab::LossInput input;
  input.tensors.set("cover", torch::zeros({1, 3, 8, 8}));
  input.tensors.set("stego", torch::full({1, 3, 8, 8}, 0.5));
  input.tensors.set("secret", torch::zeros({1, 3, 8, 8}));
  input.tensors.set("recovered", torch::full({1, 3, 8, 8}, 0.1));
  EXPECT_NEAR(loss->compute(input).total.item<double>(), 0.51, 1e-6);
}

}  // namespace
