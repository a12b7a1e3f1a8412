// Experiment files: parsing, validation messages, defaults, plugin checks.
// Plugins come from a small in-process catalog that behaves like the
// registry (same message shapes), so every check is tested without building
// a plugin library.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "spec/experiment_spec.hpp"
#include "spec/registry_catalog.hpp"
#include "stegolab/params.hpp"

#include "../plugins/tasks/steganography/metric_declarations.cpp"

namespace stegolab {
namespace {

using nlohmann::json;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class FakeCatalog : public PluginCatalog {
 public:
  FakeCatalog() {
    add("dataset", "synthetic", {{"size", "int", 64, ""}, {"count", "int", 192, ""}});
    add("transform", "haar_dwt", {{"levels", "int", 1, ""}});
    add("transform", "ilwt53", {{"levels", "int", 1, ""}});
    add("transform", "cdf53_dwt", {{"levels", "int", 1, ""}});
    add("model", "star_inn", {{"blocks", "int", 2, ""}, {"hidden", "int", 16, ""}});
    add("loss", "stego_loss", {{"rec_weight", "number", 1.0, ""}});
    add("strategy", "standard",
        {{"precision", "string", "fp32", ""},
         {"accumulation", "int", 1, ""},
         {"clip_norm", "number", 1.0, ""}});
    // The steganography task as it declares itself.
    add("task", "steganography", {{"quantize_stego", "bool", true, ""}});
    PluginInfo& task = plugins_.at("task/steganography");
    task.components = {{"transform", "transform", true, ""},
                       {"model", "model", false, ""},
                       {"loss", "loss", false, "", "stego_loss"}};
    task.metrics = steganography::metric_declarations();
    task.best_metric = "rec_psnr";
  }

  const PluginInfo& info(const std::string& kind, const std::string& name) const override {
    const auto found = plugins_.find(kind + "/" + name);
    if (found != plugins_.end()) return found->second;
    std::string known;
    for (const auto& item : plugins_) {
      if (item.second.kind == kind) known += (known.empty() ? "" : ", ") + item.second.name;
    }
    throw Error("unknown " + kind + " '" + name + "'; known: " + known);
  }

  json resolve_params(const std::string& kind, const std::string& name,
                      const json& params) const override {
    const PluginInfo& plugin = info(kind, name);
    const std::string owner = kind + " '" + name + "'";
    std::vector<std::string> names;
    for (const auto& doc : plugin.params) names.push_back(doc.name);
    Params(owner, params).reject_unknown(names);
    json resolved = params;
    for (const auto& doc : plugin.params) {
      if (!resolved.contains(doc.name)) {
        resolved[doc.name] = doc.default_value;
        continue;
      }
      const json& value = resolved[doc.name];
      const bool ok = doc.type == "int"      ? value.is_number_integer()
                      : doc.type == "number" ? value.is_number()
                      : doc.type == "string" ? value.is_string()
                                             : true;
      if (!ok)
        throw ParamError(owner + ": parameter '" + doc.name + "' must be of type " + doc.type +
                         ", got " + value.dump());
    }
    return resolved;
  }

 private:
  void add(const std::string& kind, const std::string& name, std::vector<ParamDoc> params) {
    PluginInfo info;
    info.kind = kind;
    info.name = name;
    info.version = "1.0";
    info.params = std::move(params);
    plugins_[kind + "/" + name] = info;
  }
  std::map<std::string, PluginInfo> plugins_;
};

// The smallest valid experiment; tests patch it.
json minimal() {
  return {{"name", "x"},
          {"data", {{"plugin", "synthetic"}}},
          {"transform", {{"plugin", "haar_dwt"}}},
          {"model", {{"plugin", "star_inn"}}}};
}

ExperimentSpec parse(const json& document) {
  static const FakeCatalog catalog;
  return parse_experiment(document.dump(2), "x.json", catalog);
}

std::string error_of_text(const std::string& text) {
  static const FakeCatalog catalog;
  try {
    parse_experiment(text, "x.json", catalog);
  } catch (const SpecError& error) {
    return error.what();
  }
  return "(no error)";
}
std::string error_of(const json& document) { return error_of_text(document.dump(2)); }

json with(json document, const std::string& pointer, json value) {
  document[json::json_pointer(pointer)] = std::move(value);
  return document;
}

TEST(Spec, FillsDefaultsFromTheTypedStructsAndThePlugins) {
  const ExperimentSpec spec = parse(minimal());
  ASSERT_EQ(spec.trials.size(), 1u);
  const TrialSpec& trial = spec.trials[0];
  EXPECT_EQ(spec.name, "x");
  EXPECT_EQ(trial.key, "#r0");  // no sweep: the empty point, repeat 0
  // TrainSettings / EvalSettings / DataSplit defaults (trial_spec.hpp).
  EXPECT_EQ(trial.train.epochs, 10);
  EXPECT_EQ(trial.train.batch_size, 8);
  EXPECT_FALSE(trial.train.batch_size_auto);
  EXPECT_DOUBLE_EQ(trial.train.optimizer.lr, 1e-4);
  EXPECT_EQ(trial.train.schedule.name, "cosine");
  EXPECT_EQ(trial.train.device, "auto");
  EXPECT_EQ(trial.eval.batch_size, 16);
  EXPECT_DOUBLE_EQ(trial.split.train, 0.8);
  // Default loss and strategy plugins, and the fake plugins' documented defaults.
  EXPECT_EQ(trial.sections.at("loss").plugin, "stego_loss");
  EXPECT_EQ(trial.strategy.plugin, "standard");
  EXPECT_EQ(trial.sections.at("model").params, json({{"blocks", 2}, {"hidden", 16}}));
  EXPECT_EQ(trial.strategy.params.at("precision"), "fp32");
  // `resolved` is the whole trial config, runnable as an experiment of its own.
  EXPECT_EQ(trial.resolved.at("model").at("params").at("hidden"), 16);
  EXPECT_EQ(trial.resolved.at("train").at("optimizer").at("lr"), 1e-4);
  EXPECT_FALSE(trial.resolved.contains("sweep"));
  // The original document is kept as written, without defaults.
  EXPECT_EQ(spec.document, minimal());
}

TEST(Spec, AutoBatchSizeAndIntegralFloats) {
  const auto trial =
      parse(with(with(minimal(), "/train/batch_size", "auto"), "/train/epochs", 3.0)).trials[0];
  EXPECT_TRUE(trial.train.batch_size_auto);
  EXPECT_EQ(trial.train.batch_size, 0);
  EXPECT_EQ(trial.train.epochs, 3);
}

TEST(Spec, JsonSyntaxErrorNamesFileLineAndColumn) {
  // Line 3 is `  "data": }`: two spaces, "data" (6 characters), ':', ' ', so '}' is column 11.
  const std::string message = error_of_text("{\n  \"name\": \"x\",\n  \"data\": }\n");
  EXPECT_THAT(message, StartsWith("x.json: line 3, column 11: invalid JSON: "));
  EXPECT_THAT(message, HasSubstr("unexpected '}'"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("json.exception")));
}

TEST(Spec, TopLevelMustBeAnObject) {
  EXPECT_EQ(error_of_text("[1, 2]"), "x.json: expected a JSON object at the top level, got array");
}

TEST(Spec, UnreadableFileIsNamed) {
  const FakeCatalog catalog;
  try {
    load_experiment("no/such/experiment.json", catalog);
    FAIL() << "expected a SpecError";
  } catch (const SpecError& error) {
    EXPECT_EQ(std::string(error.what()),
              "no/such/experiment.json: cannot read the experiment file (does it exist?)");
  }
}

TEST(Spec, LoadsFromAFile) {
  const auto file = std::filesystem::temp_directory_path() / "stegolab_spec_test.json";
  std::ofstream(file) << minimal().dump();
  const FakeCatalog catalog;
  const ExperimentSpec spec = load_experiment(file, catalog);
  EXPECT_EQ(spec.file, file.string());
  EXPECT_EQ(spec.trials.size(), 1u);
  std::filesystem::remove(file);
}

TEST(Spec, UnknownKeysAtEveryLevelSuggestTheClosest) {
  EXPECT_THAT(error_of(with(minimal(), "/modle", json::object())),
              StartsWith("x.json: modle: unknown key (did you mean 'model'?); expected one of: "
                         "name, description, data,"));
  EXPECT_THAT(error_of(with(minimal(), "/train/batchsize", 4)),
              StartsWith("x.json: train.batchsize: unknown key (did you mean 'batch_size'?); "
                         "expected one of: epochs, batch_size,"));
  EXPECT_THAT(
      error_of(with(minimal(), "/train/optimizer/learning_rate", 4)),
      StartsWith(
          "x.json: train.optimizer.learning_rate: unknown key; expected one of: name, lr, beta1"));
  EXPECT_THAT(error_of(with(minimal(), "/data/split/vall", 0.1)),
              StartsWith("x.json: data.split.vall: unknown key (did you mean 'val'?)"));
}

TEST(Spec, WrongTypesAndValuesSayWhatWasExpected) {
  EXPECT_EQ(error_of(with(minimal(), "/train/batch_size", 0)),
            "x.json: train.batch_size: expected a positive integer or \"auto\", got 0");
  EXPECT_EQ(error_of(with(minimal(), "/train/epochs", "ten")),
            "x.json: train.epochs: expected a positive integer, got \"ten\"");
  EXPECT_EQ(error_of(with(minimal(), "/train/epochs", 0)),
            "x.json: train.epochs: expected a positive integer, got 0");
  EXPECT_EQ(error_of(with(minimal(), "/train/epochs", 2.5)),
            "x.json: train.epochs: expected a positive integer, got 2.5");
  EXPECT_EQ(error_of(with(minimal(), "/train/optimizer/lr", -0.001)),
            "x.json: train.optimizer.lr: expected a positive number, got -0.001");
  EXPECT_EQ(error_of(with(minimal(), "/train/optimizer/name", "sgd")),
            "x.json: train.optimizer.name: expected one of \"adam\", \"adamw\", got \"sgd\"");
  EXPECT_EQ(error_of(with(minimal(), "/train/optimizer/beta1", 1)),
            "x.json: train.optimizer.beta1: expected a number in [0, 1), got 1");
  EXPECT_EQ(error_of(with(minimal(), "/eval/quantize_stego", "yes")),
            "x.json: eval.quantize_stego: expected true or false, got \"yes\"");
  EXPECT_EQ(error_of(with(minimal(), "/train", 5)), "x.json: train: expected an object, got 5");
  EXPECT_EQ(error_of(with(minimal(), "/model/params", json::array())),
            "x.json: model.params: expected an object, got []");
  EXPECT_THAT(error_of(with(minimal(), "/train/best_metric", "rec_psnrr")),
              StartsWith("x.json: train.best_metric: expected an evaluation metric name"));
  EXPECT_THAT(error_of(with(minimal(), "/name", "a/b")),
              StartsWith("x.json: name: expected a name of letters"));
}

TEST(Spec, TheTaskDeclaresSectionsSettingsAndTheBestMetric) {
  const TrialSpec trial = parse(minimal()).trials.at(0);
  EXPECT_EQ(trial.task.plugin, "steganography");   // the default task
  EXPECT_EQ(trial.train.best_metric, "rec_psnr");  // the task's default best metric
  EXPECT_EQ(trial.task.params.at("quantize_stego"), true);
  ASSERT_FALSE(trial.task_metrics.empty());
  // eval.quantize_stego is the task's parameter, written where it always was.
  const TrialSpec float_path = parse(with(minimal(), "/eval/quantize_stego", false)).trials.at(0);
  EXPECT_EQ(float_path.task.params.at("quantize_stego"), false);
  EXPECT_EQ(error_of(with(minimal(), "/task/plugin", "nope")),
            "x.json: task.plugin: unknown task 'nope'; known: steganography");
  // The transform section is optional for this task.
  json without_transform = minimal();
  without_transform.erase("transform");
  EXPECT_EQ(parse(without_transform).trials.at(0).sections.count("transform"), 0u);
  EXPECT_THAT(error_of(with(minimal(), "/train/best_metric", "loss")),
              HasSubstr("expected an evaluation metric name of task 'steganography'"));
}

TEST(Spec, AnIntegerTooLargeToCountWithIsRefusedAtLoad) {
  EXPECT_EQ(error_of(with(minimal(), "/train/epochs", 1e20)),
            "x.json: train.epochs: expected a positive integer, got 1e+20");
}

TEST(Spec, MissingRequiredKeys) {
  json document = minimal();
  document.erase("model");
  EXPECT_EQ(error_of(document),
            "x.json: model.plugin: expected the name of a model plugin, but the key is missing");
  document = minimal();
  document.erase("name");
  EXPECT_THAT(error_of(document), StartsWith("x.json: name: expected a name"));
}

TEST(Spec, SplitFractionsMustNotExceedOne) {
  json document = with(minimal(), "/data/split", {{"train", 0.8}, {"val", 0.2}, {"test", 0.1}});
  EXPECT_EQ(
      error_of(document),
      "x.json: data.split: expected fractions summing to at most 1, got 0.8 + 0.2 + 0.1 = 1.1");
  // 0.7 + 0.2 + 0.1 rounds to 1.0000000000000002 in binary and must pass.
  document = with(minimal(), "/data/split", {{"train", 0.7}, {"val", 0.2}, {"test", 0.1}});
  EXPECT_EQ(parse(document).trials.size(), 1u);
}

TEST(Spec, ASplitMayNameASourceOfItsOwn) {
  json doc = with(minimal(), "/data/params", {{"count", 100}});
  doc = with(doc, "/data/test", {{"params", {{"count", 20}}}});
  const TrialSpec trial = parse(doc).trials[0];
  ASSERT_EQ(trial.split_sources.count("test"), 1u);
  EXPECT_EQ(trial.split_sources.count("val"), 0u);
  // The shared source's plugin and parameters, overridden by the split's own.
  EXPECT_EQ(trial.split_sources.at("test").plugin, "synthetic");
  EXPECT_EQ(trial.split_sources.at("test").params, json({{"size", 64}, {"count", 20}}));
  EXPECT_DOUBLE_EQ(trial.split.test, 0.0);
  EXPECT_EQ(trial.resolved.at("data").at("test").at("params").at("count"), 20);
  // The test fraction no longer counts against the shared source.
  parse(with(doc, "/data/split", {{"train", 0.9}, {"val", 0.1}, {"test", 0.5}}));
  EXPECT_THAT(error_of(with(doc, "/data/val/plugin", "nope")), HasSubstr("data.val.plugin"));
  EXPECT_THAT(error_of(with(doc, "/data/val/params", {{"sizes", 3}})),
              HasSubstr("data.val.params"));
  EXPECT_THAT(error_of(with(doc, "/data/val/plugins", "synthetic")), HasSubstr("data.val.plugins"));
}

TEST(Spec, UnknownPluginListsTheKnownOnesOfThatKind) {
  EXPECT_EQ(
      error_of(with(minimal(), "/transform/plugin", "haar")),
      "x.json: transform.plugin: unknown transform 'haar'; known: cdf53_dwt, haar_dwt, ilwt53");
}

TEST(Spec, PluginParametersAreCheckedByThePlugin) {
  EXPECT_EQ(
      error_of(with(minimal(), "/model/params", {{"blcks", 2}})),
      "x.json: model.params: model 'star_inn': unknown parameter 'blcks' (did you mean 'blocks'?); "
      "known: blocks, hidden");
}

TEST(Spec, SweepValueWrongForThePluginNamesTheTrial) {
  const json document =
      with(minimal(), "/sweep", {{"axes", {{"model.params.blocks", {2, "four"}}}}});
  EXPECT_EQ(error_of(document),
            "x.json: model.params: model 'star_inn': parameter 'blocks' must be of type int, got "
            "\"four\" "
            "(in trial \"model.params.blocks=four#r0\")");
}

TEST(Spec, SweepPathsMustExist) {
  EXPECT_EQ(error_of(with(minimal(), "/sweep", {{"axes", {{"train.batchsize", {4, 8}}}}})),
            "x.json: sweep.axes[\"train.batchsize\"]: 'train.batchsize' is not a setting of the "
            "experiment "
            "(did you mean 'train.batch_size'?)");
  EXPECT_EQ(error_of(with(minimal(), "/sweep", {{"axes", {{"model.params.blcks", {1, 2}}}}})),
            "x.json: sweep.axes[\"model.params.blcks\"]: model 'star_inn' has no parameter 'blcks' "
            "(did you mean 'blocks'?); its parameters: blocks, hidden");
  EXPECT_EQ(error_of(with(minimal(), "/sweep", {{"axes", {{"name", {"a", "b"}}}}})),
            "x.json: sweep.axes.name: 'name' cannot be swept");
  // A parameter axis must be documented by every plugin the component's own axis chooses.
  json document =
      with(minimal(), "/sweep",
           {{"axes", {{"transform.plugin", {"haar_dwt"}}, {"transform.params.lvls", {1, 2}}}}});
  EXPECT_THAT(error_of(document),
              StartsWith("x.json: sweep.axes[\"transform.params.lvls\"]: transform 'haar_dwt' "
                         "has no parameter 'lvls' (did you mean 'levels'?)"));
  EXPECT_THAT(error_of(with(minimal(), "/sweep", {{"include", {{{"model.params.hiden", 4}}}}})),
              StartsWith("x.json: sweep.include[0][\"model.params.hiden\"]: model 'star_inn' has "
                         "no parameter 'hiden'"));
}

TEST(Spec, SweepValuesAreValidatedLikeTheSetting) {
  EXPECT_EQ(error_of(with(minimal(), "/sweep", {{"axes", {{"train.batch_size", {4, 0}}}}})),
            "x.json: sweep.axes[\"train.batch_size\"][1]: expected a positive integer or \"auto\", "
            "got 0");
  EXPECT_EQ(error_of(with(minimal(), "/sweep",
                          {{"axes", {{"transform.plugin", {"haar_dwt", "ilwt35"}}}}})),
            "x.json: sweep.axes[\"transform.plugin\"][1]: unknown transform 'ilwt35'; known: "
            "cdf53_dwt, haar_dwt, ilwt53");
  EXPECT_EQ(error_of(with(minimal(), "/sweep", {{"include", {{{"train.optimizer.lr", -1}}}}})),
            "x.json: sweep.include[0][\"train.optimizer.lr\"]: expected a positive number, got -1");
  // The split check runs per trial, so a swept fraction is caught with its trial.
  EXPECT_EQ(
      error_of(with(minimal(), "/sweep", {{"axes", {{"data.split.train", {0.5, 0.9}}}}})),
      "x.json: data.split: expected fractions summing to at most 1, got 0.9 + 0.1 + 0.1 = 1.1 "
      "(in trial \"data.split.train=0.9#r0\")");
}

TEST(Spec, SweepSectionShapeErrors) {
  EXPECT_THAT(error_of(with(minimal(), "/sweep", {{"axis", json::object()}})),
              StartsWith("x.json: sweep.axis: unknown key (did you mean 'axes'?)"));
  EXPECT_EQ(error_of(with(minimal(), "/sweep", {{"axes", {{"train.epochs", json::array()}}}})),
            "x.json: sweep.axes[\"train.epochs\"]: expected a non-empty array of values, got []");
  EXPECT_EQ(error_of(with(minimal(), "/sweep", {{"axes", {{"train.epochs", {1, 1}}}}})),
            "x.json: sweep.axes[\"train.epochs\"][1]: duplicate value 1");
  EXPECT_EQ(
      error_of(with(minimal(), "/sweep",
                    {{"axes", {{"train.epochs", {1, 2}}}}, {"exclude", {{{"train.epoch", 1}}}}})),
      "x.json: sweep.exclude[0][\"train.epoch\"]: expected a path of sweep.axes (did you mean "
      "'train.epochs'?)");
  EXPECT_EQ(
      error_of(with(minimal(), "/sweep",
                    {{"axes", {{"train.epochs", {1, 2}}}}, {"exclude", {{{"train.epochs", 3}}}}})),
      "x.json: sweep.exclude[0][\"train.epochs\"]: expected one of the axis values 1, 2, got 3");
  EXPECT_EQ(error_of(with(minimal(), "/sweep", {{"repeats", 0}})),
            "x.json: sweep.repeats: expected a positive integer, got 0");
}

// The example of docs/experiments.md: 2 x 2 grid, one exclude, one include.
json format_example() {
  return json::parse(R"({
    "name": "quickstart",
    "data": {"plugin": "synthetic", "params": {"size": 32, "count": 16}, "split": {"train": 0.75, "val": 0.125, "test": 0.125}},
    "transform": {"plugin": "haar_dwt", "params": {"levels": 1}},
    "model": {"plugin": "star_inn", "params": {"blocks": 1, "hidden": 8}},
    "strategy": {"plugin": "standard", "params": {"precision": "fp32"}},
    "train": {"epochs": 2, "batch_size": 4, "seed": 7},
    "sweep": {"axes": {"transform.plugin": ["haar_dwt", "ilwt53"], "strategy.params.precision": ["fp32", "bf16"]},
              "include": [{"transform.plugin": "cdf53_dwt"}],
              "exclude": [{"transform.plugin": "ilwt53", "strategy.params.precision": "bf16"}],
              "repeats": 2},
    "reports": [{"name": "main", "rows": ["transform.plugin"], "metrics": ["rec_psnr"]}]
  })");
}

TEST(Spec, ExpandsTheSweepIntoResolvedTrials) {
  const ExperimentSpec spec = parse(format_example());
  // Axes sorted by path: strategy.params.precision outermost, transform.plugin
  // fastest; ilwt53+bf16 excluded; the include takes the base precision fp32.
  const std::vector<std::string> expected = {
      "strategy.params.precision=fp32,transform.plugin=haar_dwt#r0",
      "strategy.params.precision=fp32,transform.plugin=ilwt53#r0",
      "strategy.params.precision=bf16,transform.plugin=haar_dwt#r0",
      "strategy.params.precision=fp32,transform.plugin=cdf53_dwt#r0",
      "strategy.params.precision=fp32,transform.plugin=haar_dwt#r1",
      "strategy.params.precision=fp32,transform.plugin=ilwt53#r1",
      "strategy.params.precision=bf16,transform.plugin=haar_dwt#r1",
      "strategy.params.precision=fp32,transform.plugin=cdf53_dwt#r1"};
  ASSERT_EQ(spec.trials.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(spec.trials[i].key, expected[i]) << i;
  const TrialSpec& bf16 = spec.trials[2];
  EXPECT_EQ(bf16.strategy.params.at("precision"), "bf16");
  EXPECT_EQ(bf16.strategy.params.at("accumulation"), 1);  // plugin default filled in
  EXPECT_EQ(bf16.resolved.at("strategy").at("params").at("precision"), "bf16");
  EXPECT_EQ(bf16.sweep_point,
            json({{"strategy.params.precision", "bf16"}, {"transform.plugin", "haar_dwt"}}));
  EXPECT_EQ(spec.trials[3].sections.at("transform").plugin, "cdf53_dwt");
  // Seed = base seed + repeat.
  EXPECT_EQ(spec.trials[0].seed, 7u);
  EXPECT_EQ(spec.trials[4].seed, 8u);
  EXPECT_EQ(spec.trials[4].repeat, 1);
  EXPECT_EQ(spec.reports, format_example().at("reports"));
}

TEST(Spec, HashIsFnv1aOfTheCanonicalDump) {
  // Independently computed FNV-1a 64 of the bytes `{}` and `{"name":"x"}`.
  EXPECT_EQ(experiment_hash(json::object()), "08f44b07b5901a25");
  EXPECT_EQ(experiment_hash(json{{"name", "x"}}), "2a0799a4152d90fc");
  // Whitespace and key order do not matter; values do.
  const ExperimentSpec a = parse(format_example());
  const FakeCatalog catalog;
  const ExperimentSpec b = parse_experiment(format_example().dump(), "y.json", catalog);
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_NE(a.hash, parse(with(format_example(), "/train/epochs", 3)).hash);
}

TEST(Spec, DeclaredReportsAreCheckedWhenTheFileIsLoaded) {
  const json report = {{"rows", {"transform.plugin"}}, {"metrics", {"rec_psnr"}}};
  auto with_report = [&](const std::string& pointer, const json& value) {
    json entry = report;
    if (value.is_null()) {
      entry.erase(json::json_pointer(pointer).back());
    } else {
      entry[json::json_pointer(pointer)] = value;
    }
    return with(minimal(), "/reports", json::array({report, entry}));
  };
  EXPECT_EQ(
      error_of(with_report("/format", "html")),
      "x.json: reports[1].format: expected one of \"markdown\", \"latex\", \"csv\", got \"html\"");
  EXPECT_EQ(error_of(with_report("/out", 5)), "x.json: reports[1].out: expected a string, got 5");
  EXPECT_EQ(error_of(with_report("/metrics", nullptr)),
            "x.json: reports[1].metrics: expected at least one metric");
  EXPECT_EQ(error_of(with_report("/metrics", json::array({"ber", 3}))),
            "x.json: reports[1].metrics[1]: expected a non-empty string, got 3");
  EXPECT_EQ(error_of(with_report("/decimals", 2.5)),
            "x.json: reports[1].decimals: expected an integer from 0 to 12, got 2.5");
  EXPECT_EQ(
      error_of(with_report("/split", "validation")),
      "x.json: reports[1].split: expected one of \"train\", \"val\", \"test\", got \"validation\"");
  EXPECT_THAT(
      error_of(with_report("/colls", json::array({"train.batch_size"}))),
      StartsWith("x.json: reports[1].colls: unknown key (did you mean 'cols'?); expected one "
                 "of: name, rows, cols, metrics,"));
  // Rows and columns must be something the trials have.
  EXPECT_EQ(
      error_of(with_report("/cols", json::array({"train.batch_size", "transform.plugn"}))),
      "x.json: reports[1].cols[1]: 'transform.plugn' is neither a sweep path nor a setting of "
      "the experiment (did you mean 'transform.plugin'?)");
  EXPECT_EQ(parse(with_report("/cols", json::array({"model.params.hidden"}))).reports.size(), 2u);
}

TEST(Spec, DescriptionAndReportsDoNotChangeTheHash) {
  const ExperimentSpec a = parse(format_example());
  json edited = format_example();
  edited["description"] = "another text";
  edited["reports"][0]["name"] = "renamed";
  EXPECT_EQ(parse(edited).hash, a.hash);
  EXPECT_EQ(a.hash, experiment_hash(experiment_identity(format_example())));
}

// The shipped experiments must stay valid against the real plugins.
TEST(Spec, ShippedExperimentsAreValid) {
  PluginRegistry registry;
  registry.discover({STEGOLAB_TEST_PLUGIN_DIR});
  for (const char* kind : {"dataset", "transform", "model", "loss", "strategy"}) {
    if (registry.components(kind).empty()) GTEST_SKIP() << "no " << kind << " plugin in this build";
  }
  // Expected trial counts: quickstart 2 x 2; wavelet_comparison (4 x 3 - 1 + 1 include) x 3
  // repeats; gpu_study its 108-point grid; the compression sweeps four lambdas each. Every file in experiments/ is listed
  // (the last check below), so a new one cannot ship unchecked.
  const std::map<std::string, size_t> expected = {{"quickstart.json", 4},
                                                  {"wavelet_comparison.json", 36},
                                                  {"hinet_div2k.json", 1},
                                                  {"deepmih_div2k.json", 1},
                                                  {"baselines.json", 3},
                                                  {"compression_rd.json", 4},
                                                  {"compression_rd_768x512.json", 4},
                                                  {"gpu_study.json", 108},
                                                  {"multi_secret.json", 3},
                                                  {"robustness.json", 2},
                                                  {"steganalysis.json", 1}};
  for (const auto& [name, trials] : expected) {
    const auto file = std::filesystem::path(STEGOLAB_SOURCE_DIR) / "experiments" / name;
    try {
      EXPECT_EQ(load_experiment(file, registry).trials.size(), trials) << name;
    } catch (const Error& error) {
      ADD_FAILURE() << error.what();
    }
  }
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(STEGOLAB_SOURCE_DIR) / "experiments")) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".json") EXPECT_TRUE(expected.count(name)) << name << " is not checked";
  }
}

}  // namespace
}  // namespace stegolab
