// PluginRegistry and `stegolab plugins`, through real shared libraries: the
// fixtures in tests/fixtures/ (one valid library with two components and one
// library per way a plugin can be broken). Every error a user can meet here is
// checked for the facts they need to act on it: which file, which component,
// which numbers, what the plugin itself said.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/dataset.hpp"
#include "stegolab/loss.hpp"
#include "stegolab/transform.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using stegolab::ComponentRecord;
using stegolab::PluginLoadError;
using stegolab::PluginRegistry;

const fs::path kFixtures = STEGOLAB_TEST_FIXTURE_DIR;

fs::path fixture(const std::string& folder, const std::string& file) {
  return kFixtures / folder / file;
}
const fs::path kGood = fixture("good", "stegolab_fixture_good.so");
const fs::path kWrongApi = fixture("wrong_api", "stegolab_fixture_wrong_api.so");
const fs::path kNoSymbols = fixture("no_symbols", "stegolab_fixture_no_symbols.so");
const fs::path kThrowing = fixture("throwing", "stegolab_fixture_throwing.so");
const fs::path kGarbage = fixture("garbage", "stegolab_garbage.so");
const fs::path kDuplicate = fixture("duplicate", "stegolab_fixture_duplicate.so");

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A fresh folder for this test alone: ctest runs test cases in parallel.
fs::path scratch_dir() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::path(STEGOLAB_TEST_BUILD_DIR) / "test_scratch" / "plugin_registry" /
                       (std::string(test->test_suite_name()) + "." + test->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The PluginLoadError message of loading `file` into `registry`.
std::string load_error(PluginRegistry& registry, const fs::path& file) {
  try {
    registry.load(file);
  } catch (const PluginLoadError& error) {
    return error.what();
  }
  return "<loaded without error>";
}

template <class Action>
std::string param_error_of(Action action) {
  try {
    action();
  } catch (const stegolab::ParamError& error) {
    return error.what();
  } catch (const std::exception& error) {
    return std::string("<not a ParamError: ") + error.what() + ">";
  }
  return "<nothing thrown>";
}

PluginRegistry good_registry() {
  PluginRegistry registry;
  registry.load(kGood);
  return registry;
}

// --- Loading ----------------------------------------------------------------

TEST(PluginRegistry, LoadsBothComponentsOfOneLibrary) {
  const PluginRegistry registry = good_registry();
  const auto all = registry.components();
  ASSERT_EQ(all.size(), 2u);
  // Sorted by kind, then name: "dataset" < "loss".
  EXPECT_EQ(all[0]->info.name, "fixture_source");
  EXPECT_EQ(all[0]->info.kind, "dataset");
  EXPECT_EQ(all[1]->info.name, "fixture_loss");
  EXPECT_EQ(all[1]->info.kind, "loss");

  const ComponentRecord& loss = *all[1];
  // The macro stamps kind, API version and (for an empty name) the id; the
  // rest is what fixture_loss_info() returns.
  EXPECT_EQ(loss.info.api_version, stegolab::kApiVersion);
  EXPECT_EQ(loss.info.version, "1.2.3");
  EXPECT_EQ(loss.info.summary, "test fixture: weight * mean(|stego - cover|^power)");
  ASSERT_EQ(loss.info.params.size(), 4u);
  EXPECT_EQ(loss.info.params[0].name, "weight");
  EXPECT_TRUE(loss.info.params[0].default_value.is_null());
  EXPECT_EQ(loss.info.params[1].type, "int");
  EXPECT_EQ(loss.info.params[1].default_value, json(1));
  EXPECT_EQ(loss.file, fs::canonical(kGood));
  EXPECT_NE(loss.factory, nullptr);
  EXPECT_NE(all[0]->factory, loss.factory);
  EXPECT_TRUE(registry.problems().empty());
}

TEST(PluginRegistry, ListsComponentsByKind) {
  const PluginRegistry registry = good_registry();
  const auto losses = registry.components("loss");
  ASSERT_EQ(losses.size(), 1u);
  EXPECT_EQ(losses[0]->info.name, "fixture_loss");
  const auto datasets = registry.components("dataset");
  ASSERT_EQ(datasets.size(), 1u);
  EXPECT_EQ(datasets[0]->info.name, "fixture_source");
  EXPECT_TRUE(registry.components("transform").empty());
  EXPECT_TRUE(registry.components("model").empty());
}

TEST(PluginRegistry, LoadingTheSameFileTwiceRegistersItOnce) {
  PluginRegistry registry = good_registry();
  EXPECT_NO_THROW(registry.load(kGood));
  // Through another spelling of the same path, too.
  EXPECT_NO_THROW(registry.load(kFixtures / "good" / ".." / "good" / kGood.filename()));
  EXPECT_EQ(registry.components().size(), 2u);
}

TEST(PluginRegistry, MissingFileIsNamed) {
  PluginRegistry registry;
  const fs::path missing = kFixtures / "good" / "stegolab_nothing_here.so";
  const std::string message = load_error(registry, missing);
  EXPECT_TRUE(contains(message, missing.string())) << message;
  EXPECT_TRUE(contains(message, "no such file")) << message;
}

TEST(PluginRegistry, ApiMismatchNamesTheFileAndBothVersions) {
  PluginRegistry registry;
  const std::string message = load_error(registry, kWrongApi);
  EXPECT_TRUE(contains(message, kWrongApi.string())) << message;
  EXPECT_TRUE(contains(message, "future_loss")) << message;
  // 999 is STEGOLAB_FIXTURE_API_OVERRIDE from tests/fixtures/CMakeLists.txt.
  EXPECT_TRUE(contains(message, "API version 999")) << message;
  EXPECT_TRUE(contains(message, "API version " + std::to_string(stegolab::kApiVersion) + ";"))
      << message;
  EXPECT_FALSE(contains(message, "\n")) << message;
  // All or nothing: the refused library registers no component.
  EXPECT_TRUE(registry.components().empty());
}

TEST(PluginRegistry, AnotherLibTorchIsRefusedFromTheAbiRecordAlone) {
  // The fixture's functions abort: reaching this line's checks proves the
  // host called none of them.
  PluginRegistry registry;
  const fs::path file = fixture("wrong_torch", "stegolab_fixture_wrong_torch.so");
  const std::string message = load_error(registry, file);
  EXPECT_TRUE(contains(message, file.string())) << message;
  EXPECT_TRUE(contains(message,
                       "component 'other_loss' was built against LibTorch 99.0.0, "
                       "this stegolab uses LibTorch " +
                           std::to_string(TORCH_VERSION_MAJOR) + "." +
                           std::to_string(TORCH_VERSION_MINOR) + "." +
                           std::to_string(TORCH_VERSION_PATCH)))
      << message;
  EXPECT_FALSE(contains(message, "\n")) << message;
  EXPECT_TRUE(registry.components().empty());
}

TEST(PluginRegistry, AnotherCxxStringAbiIsRefusedNamingBothSides) {
  PluginRegistry registry;
  const fs::path file = fixture("wrong_cxx_abi", "stegolab_fixture_wrong_cxx_abi.so");
  const std::string message = load_error(registry, file);
  EXPECT_TRUE(contains(message, "_GLIBCXX_USE_CXX11_ABI=")) << message;
  EXPECT_TRUE(contains(
      message, "this stegolab with _GLIBCXX_USE_CXX11_ABI=" + std::to_string(STEGOLAB_CXX11_ABI)))
      << message;
  EXPECT_TRUE(registry.components().empty());
}

TEST(PluginRegistry, LibraryWithoutStegolabSymbolsIsNamed) {
  PluginRegistry registry;
  const std::string message = load_error(registry, kNoSymbols);
  EXPECT_EQ(message, "plugin " + kNoSymbols.string() +
                         ": no stegolab symbols (not built with STEGOLAB_PLUGIN?)");
}

TEST(PluginRegistry, GarbageFileIsNotASharedLibrary) {
  PluginRegistry registry;
  const std::string message = load_error(registry, kGarbage);
  EXPECT_TRUE(contains(message, kGarbage.string())) << message;
  EXPECT_TRUE(contains(message, "not a shared library")) << message;
  EXPECT_FALSE(contains(message, "\n")) << message;
}

TEST(PluginRegistry, TruncatedPluginIsACorruptFileNotACrash) {
  // A real plugin cut short (an interrupted copy): its ELF header is intact,
  // the rest is missing. The loader must refuse it with one line naming it.
  const fs::path dir = scratch_dir();
  const fs::path truncated = dir / ("truncated_" + kGood.filename().string());
  fs::copy_file(kGood, truncated);
  fs::resize_file(truncated, fs::file_size(kGood) / 3);
  PluginRegistry registry;
  const std::string message = load_error(registry, truncated);
  EXPECT_TRUE(contains(message, truncated.string())) << message;
  EXPECT_FALSE(contains(message, "\n")) << message;
  EXPECT_TRUE(registry.components().empty());
}

TEST(PluginRegistry, DuplicateNameNamesBothFilesAndKeepsTheFirst) {
  PluginRegistry registry = good_registry();
  const std::string message = load_error(registry, kDuplicate);
  EXPECT_TRUE(contains(message, kDuplicate.string())) << message;
  EXPECT_TRUE(contains(message, fs::canonical(kGood).string())) << message;
  EXPECT_TRUE(contains(message, "'fixture_loss'")) << message;
  const auto losses = registry.components("loss");
  ASSERT_EQ(losses.size(), 1u);
  EXPECT_EQ(losses[0]->info.version, "1.2.3");  // good/'s, not duplicate/'s 6.6.6
}

TEST(PluginRegistry, ThrowingFactoryPassesThePluginsMessageOn) {
  PluginRegistry registry;
  registry.load(kThrowing);
  try {
    registry.build<stegolab::Loss>("throwing_loss", json::object(), stegolab::BuildContext{});
    FAIL() << "the factory's exception was swallowed";
  } catch (const PluginLoadError& error) {
    const std::string message = error.what();
    EXPECT_TRUE(contains(message, "loss 'throwing_loss'")) << message;
    EXPECT_TRUE(contains(message, fs::canonical(kThrowing).string())) << message;
    EXPECT_TRUE(contains(message, ": deliberate failure")) << message;
  }
}

// --- Discovery ----------------------------------------------------------------

TEST(PluginRegistry, DiscoverSkipsOneBadFileAndLoadsTheRest) {
  const fs::path dir = scratch_dir();
  fs::copy_file(kGood, dir / kGood.filename());
  fs::copy_file(kGarbage, dir / kGarbage.filename());
  std::ofstream(dir / "README.txt") << "not a plugin: no .so suffix, so never opened\n";

  PluginRegistry registry;
  registry.discover({dir, dir / "no_such_folder"});
  const auto all = registry.components();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->file, fs::canonical(dir / kGood.filename()));
  ASSERT_EQ(registry.problems().size(), 1u);  // the missing folder is not a problem
  EXPECT_EQ(registry.problems()[0].file, dir / kGarbage.filename());
  EXPECT_TRUE(contains(registry.problems()[0].message, (dir / kGarbage.filename()).string()));
  EXPECT_TRUE(contains(registry.problems()[0].message, "not a shared library"));
}

TEST(PluginRegistry, DiscoverOverEveryFixtureRecordsEachBrokenOne) {
  PluginRegistry registry;
  registry.discover({kFixtures / "good", kFixtures / "wrong_api", kFixtures / "no_symbols",
                     kFixtures / "throwing", kFixtures / "garbage", kFixtures / "duplicate"});
  std::vector<std::string> names;
  for (const auto* component : registry.components()) names.push_back(component->info.name);
  // throwing_loss loads fine: it only fails when built.
  EXPECT_EQ(names, (std::vector<std::string>{"fixture_source", "fixture_loss", "throwing_loss"}));
  std::vector<fs::path> failed;
  for (const auto& problem : registry.problems()) failed.push_back(problem.file);
  EXPECT_EQ(failed, (std::vector<fs::path>{kWrongApi, kNoSymbols, kGarbage, kDuplicate}));
}

// --- Finding and building ---------------------------------------------------

TEST(PluginRegistry, FindUnknownNameSuggestsAndListsTheKnownOnes) {
  const PluginRegistry registry = good_registry();
  EXPECT_EQ(registry.find("loss", "fixture_loss").info.name, "fixture_loss");
  try {
    registry.find("loss", "fixture_los");
    FAIL() << "found a component that does not exist";
  } catch (const PluginLoadError& error) {
    EXPECT_EQ(std::string(error.what()),
              "unknown loss plugin 'fixture_los' (did you mean 'fixture_loss'?); "
              "known loss plugins: fixture_loss");
  }
  try {
    registry.build<stegolab::Transform>("fixture_loss", json::object(), stegolab::BuildContext{});
    FAIL() << "built a loss as a transform";
  } catch (const PluginLoadError& error) {
    EXPECT_EQ(std::string(error.what()),
              "unknown transform plugin 'fixture_loss' ('fixture_loss' is a loss); "
              "known transform plugins: none");
  }
  EXPECT_EQ(registry.find_any_kind("fixture_source")->info.kind, "dataset");
  EXPECT_EQ(registry.find_any_kind("nothing"), nullptr);
}

TEST(PluginRegistry, BuildsALossWithTheResolvedParameters) {
  const PluginRegistry registry = good_registry();
  stegolab::LossInput input;
  input.tensors.set("cover", torch::zeros({2, 3, 4, 4}));
  input.tensors.set("stego", torch::full({2, 3, 4, 4}, 0.5));
  // weight * mean(|0.5 - 0|^power) = 2.5 * 0.5^2 = 0.625.
  auto loss = registry.build<stegolab::Loss>("fixture_loss", {{"weight", 2.5}, {"power", 2}},
                                             stegolab::BuildContext{});
  const stegolab::LossValue value = loss->compute(input);
  EXPECT_NEAR(value.total.item<double>(), 0.625, 1e-7);
  // log_terms and label come from the documented defaults (true, "distance").
  ASSERT_EQ(value.terms.size(), 1u);
  EXPECT_EQ(value.terms[0].first, "distance");
  EXPECT_NEAR(value.terms[0].second.item<double>(), 0.625, 1e-7);

  // power defaults to 1: 3 * 0.5 = 1.5.
  auto plain = registry.build<stegolab::Loss>("fixture_loss", {{"weight", 3}, {"log_terms", false}},
                                              stegolab::BuildContext{});
  const stegolab::LossValue plain_value = plain->compute(input);
  EXPECT_NEAR(plain_value.total.item<double>(), 1.5, 1e-7);
  EXPECT_TRUE(plain_value.terms.empty());
}

TEST(PluginRegistry, BuildsADatasetFromDocumentedDefaults) {
  const PluginRegistry registry = good_registry();
  // The factory reads `shades` with get_json, which throws when the key is
  // absent: building at all proves the default [0, 128, 255] was filled in.
  auto source = registry.build<stegolab::ImageSource>("fixture_source", {{"size", 8}},
                                                      stegolab::BuildContext{});
  EXPECT_EQ(source->size(), 4);  // default count
  EXPECT_EQ(source->sample_extent(true), (stegolab::ImageExtent{8, 8}));
  const torch::Tensor images = source->load(torch::arange(5), torch::kCPU, false);
  EXPECT_EQ(images.sizes(), (std::vector<int64_t>{5, 8, 8, 3}));
  EXPECT_EQ(images.scalar_type(), torch::kUInt8);
  // Image i is shades[i % 3] everywhere.
  const torch::Tensor expected =
      torch::tensor({0, 128, 255, 0, 128}, torch::kLong).to(torch::kUInt8).view({5, 1, 1, 1});
  EXPECT_TRUE(torch::equal(images, expected.expand({5, 8, 8, 3})));
}

TEST(PluginRegistry, ParamErrorsFromTheFactoryReachTheCallerUnchanged) {
  const PluginRegistry registry = good_registry();
  // power 0 passes the type check (an int) but not the plugin's own range check.
  EXPECT_EQ(param_error_of([&] {
              registry.build<stegolab::Loss>("fixture_loss", {{"weight", 1}, {"power", 0}},
                                             stegolab::BuildContext{});
            }),
            "loss 'fixture_loss': parameter 'power' must be an integer >= 1, got 0 (integer)");
}

// --- resolve_params -----------------------------------------------------------

TEST(PluginRegistry, ResolveParamsFillsDefaults) {
  const PluginRegistry registry = good_registry();
  const auto& loss = registry.find("loss", "fixture_loss");
  EXPECT_EQ(registry.resolve_params(loss, {{"weight", 0.5}}),
            (json{{"weight", 0.5}, {"power", 1}, {"log_terms", true}, {"label", "distance"}}));
  // Given values win over defaults.
  EXPECT_EQ(registry.resolve_params(loss, {{"weight", 1}, {"label", "l1"}})["label"], "l1");
  const auto& source = registry.find("dataset", "fixture_source");
  EXPECT_EQ(
      registry.resolve_params(source, nullptr),
      (json{{"count", 4}, {"size", 16}, {"shades", {0, 128, 255}}, {"extra", json::object()}}));
}

TEST(PluginRegistry, ResolveParamsRequiresRequiredOnes) {
  const PluginRegistry registry = good_registry();
  const auto& loss = registry.find("loss", "fixture_loss");
  EXPECT_EQ(param_error_of([&] { registry.resolve_params(loss, json::object()); }),
            "loss 'fixture_loss': missing required parameter 'weight' (a number): "
            "factor on the distance (required)");
}

TEST(PluginRegistry, ResolveParamsRejectsUnknownKeysWithASuggestion) {
  const PluginRegistry registry = good_registry();
  const auto& loss = registry.find("loss", "fixture_loss");
  EXPECT_EQ(param_error_of([&] {
              registry.resolve_params(loss, {{"weight", 1}, {"pwoer", 2}});
            }),
            "loss 'fixture_loss': unknown parameter 'pwoer' (did you mean 'power'?); "
            "known: weight, power, log_terms, label");
  EXPECT_TRUE(contains(param_error_of([&] { registry.resolve_params(loss, json::array()); }),
                       "loss 'fixture_loss': parameters must be a JSON object"));
}

TEST(PluginRegistry, ResolveParamsChecksEveryDocumentedType) {
  const PluginRegistry registry = good_registry();
  const auto& loss = registry.find("loss", "fixture_loss");
  const auto& source = registry.find("dataset", "fixture_source");
  struct Case {
    const ComponentRecord* component;
    json params;
    std::string expected;  // the part of the message that names key and type
  };
  const std::vector<Case> cases = {
      {&loss, {{"weight", "1"}}, "parameter 'weight' must be a number, got \"1\""},
      {&loss, {{"weight", 1}, {"power", "2"}}, "parameter 'power' must be an integer, got \"2\""},
      {&loss, {{"weight", 1}, {"power", 2.5}}, "parameter 'power' must be an integer, got 2.5"},
      {&loss,
       {{"weight", 1}, {"log_terms", 1}},
       "parameter 'log_terms' must be true or false, got 1"},
      {&loss, {{"weight", 1}, {"label", 3}}, "parameter 'label' must be a string, got 3"},
      {&source, {{"shades", "grey"}}, "parameter 'shades' must be an array, got \"grey\""},
      {&source, {{"extra", json::array()}}, "parameter 'extra' must be an object, got []"},
  };
  for (const auto& item : cases) {
    const std::string message =
        param_error_of([&] { registry.resolve_params(*item.component, item.params); });
    const std::string owner = item.component->info.kind + " '" + item.component->info.name + "': ";
    EXPECT_EQ(message, owner + item.expected) << item.params.dump();
  }
  // 2.0 is an integer a user may well write.
  EXPECT_EQ(registry.resolve_params(loss, {{"weight", 1}, {"power", 2.0}})["power"], json(2.0));
  // An integer is a number.
  EXPECT_NO_THROW(registry.resolve_params(loss, {{"weight", 1}}));
}

// --- The `stegolab plugins` command -------------------------------------------

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string shell_quoted(const std::string& text) { return "'" + text + "'"; }

// Runs the real binary without STEGOLAB_PLUGIN_PATH, so that only the plugin
// folders next to it and the given --plugin-path are searched.
CommandResult run_stegolab(const std::string& arguments) {
  const fs::path err_file = scratch_dir() / "stderr.txt";
  const std::string command = "env -u STEGOLAB_PLUGIN_PATH " + shell_quoted(STEGOLAB_TEST_BINARY) +
                              " " + arguments + " 2>" + shell_quoted(err_file.string());
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  size_t count = 0;
  while ((count = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, count);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_file);
  result.err.assign(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>());
  return result;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  std::string line;
  while (std::getline(stream, line)) lines.push_back(line);
  return lines;
}

// The first line containing `part`, or "".
std::string line_with(const std::string& text, const std::string& part) {
  for (const auto& line : lines_of(text)) {
    if (contains(line, part)) return line;
  }
  return "";
}

TEST(PluginsCommand, ListsTheComponentsOfAPluginPath) {
  const CommandResult result =
      run_stegolab("plugins --plugin-path " + shell_quoted((kFixtures / "good").string()));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string loss_line = line_with(result.out, "fixture_loss");
  EXPECT_TRUE(contains(loss_line, "loss")) << loss_line;
  EXPECT_TRUE(contains(loss_line, "1.2.3")) << loss_line;
  EXPECT_TRUE(contains(loss_line, "stegolab_fixture_good.so")) << loss_line;
  EXPECT_TRUE(contains(loss_line, "weight * mean(|stego - cover|^power)")) << loss_line;
  const std::string source_line = line_with(result.out, "fixture_source");
  EXPECT_TRUE(contains(source_line, "dataset")) << source_line;
  EXPECT_TRUE(contains(source_line, "0.0.1")) << source_line;
  EXPECT_TRUE(contains(result.out, "from " + fs::canonical(kFixtures / "good").string()))
      << result.out;
  EXPECT_EQ(result.err, "");
}

TEST(PluginsCommand, JsonListingHasEveryField) {
  const CommandResult result =
      run_stegolab("plugins --json --plugin-path " + shell_quoted((kFixtures / "good").string()));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const json listing = json::parse(result.out);  // throws (fails the test) if not JSON
  ASSERT_TRUE(listing.at("components").is_array());
  EXPECT_EQ(listing.at("problems"), json::array());
  json loss;
  for (const auto& component : listing["components"]) {
    if (component.at("name") == "fixture_loss") loss = component;
  }
  ASSERT_TRUE(loss.is_object()) << result.out;
  EXPECT_EQ(loss.at("kind"), "loss");
  EXPECT_EQ(loss.at("version"), "1.2.3");
  EXPECT_EQ(loss.at("summary"), "test fixture: weight * mean(|stego - cover|^power)");
  EXPECT_EQ(loss.at("file"), fs::canonical(kGood).string());
  EXPECT_EQ(loss.at("api_version"), stegolab::kApiVersion);
  ASSERT_EQ(loss.at("params").size(), 4u);
  const json& weight = loss["params"][0];
  EXPECT_EQ(weight.at("name"), "weight");
  EXPECT_EQ(weight.at("type"), "number");
  EXPECT_TRUE(weight.at("default").is_null());
  EXPECT_EQ(weight.at("required"), true);
  EXPECT_EQ(weight.at("help"), "factor on the distance (required)");
  const json& label = loss["params"][3];
  EXPECT_EQ(label.at("name"), "label");
  EXPECT_EQ(label.at("default"), "distance");
  EXPECT_EQ(label.at("required"), false);
}

TEST(PluginsCommand, ShowPrintsTheParameterDocs) {
  const CommandResult result = run_stegolab("plugins show fixture_source --plugin-path " +
                                            shell_quoted((kFixtures / "good").string()));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(lines_of(result.out).at(0), "fixture_source (dataset, version 0.0.1)");
  // One line per parameter: name, type, default, help.
  const std::string shades = line_with(result.out, "shades");
  EXPECT_TRUE(contains(shades, "array")) << shades;
  EXPECT_TRUE(contains(shades, "[0,128,255]")) << shades;
  EXPECT_TRUE(contains(shades, "grey value of each image, cycled")) << shades;
  const std::string count = line_with(result.out, "count");
  EXPECT_TRUE(contains(count, "int")) << count;
  EXPECT_TRUE(contains(count, " 4 ")) << count;
  EXPECT_TRUE(contains(count, "number of images")) << count;

  const CommandResult loss = run_stegolab("plugins show fixture_loss --plugin-path " +
                                          shell_quoted((kFixtures / "good").string()));
  ASSERT_EQ(loss.exit_code, 0) << loss.out << loss.err;
  const std::string weight = line_with(loss.out, "  weight ");  // not the summary line
  EXPECT_TRUE(contains(weight, "number")) << weight;
  EXPECT_TRUE(contains(weight, "(required)")) << weight;
  const std::string label = line_with(loss.out, "  label");
  EXPECT_TRUE(contains(label, "\"distance\"")) << label;
}

TEST(PluginsCommand, ShowUnknownNameFailsWithOneLine) {
  const CommandResult result = run_stegolab("plugins show fixture_los --plugin-path " +
                                            shell_quoted((kFixtures / "good").string()));
  EXPECT_NE(result.exit_code, 0);
  ASSERT_EQ(lines_of(result.err).size(), 1u) << result.err;
  EXPECT_TRUE(contains(result.err, "no plugin named 'fixture_los' (did you mean 'fixture_loss'?)"))
      << result.err;
}

TEST(PluginsCommand, BadPluginFileFailsAndIsReportedOnce) {
  const CommandResult result =
      run_stegolab("plugins --plugin-path " + shell_quoted(kGarbage.string()));
  EXPECT_NE(result.exit_code, 0);
  std::vector<std::string> reports;
  for (const auto& line : lines_of(result.out + result.err)) {
    if (contains(line, kGarbage.string())) reports.push_back(line);
  }
  ASSERT_EQ(reports.size(), 1u) << result.out << result.err;
  EXPECT_TRUE(contains(reports[0], "not a shared library")) << reports[0];
}

TEST(PluginsCommand, MissingPluginPathFailsWithOneLine) {
  const std::string missing = (kFixtures / "no_such_folder").string();
  const CommandResult result = run_stegolab("plugins --plugin-path " + shell_quoted(missing));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.err,
            "stegolab plugins: error: --plugin-path " + missing + ": no such file or folder\n");
}

}  // namespace
