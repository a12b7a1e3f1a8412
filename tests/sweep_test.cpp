// Sweep expansion: grid order, include/exclude, repeats, keys, JSON paths.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spec/spec_error.hpp"
#include "sweep/json_path.hpp"
#include "sweep/sweep_expansion.hpp"

namespace stegolab {
namespace {

using nlohmann::json;

std::vector<std::string> keys(const std::vector<SweepPoint>& points) {
  std::vector<std::string> out;
  for (const auto& p : points) out.push_back(p.key);
  return out;
}

json base_lookup(const std::string& path) {
  if (path == "a") return 1;
  if (path == "b") return "x";
  return json();
}

TEST(Sweep, NoAxesIsOnePointPerRepeat) {
  const auto points =
      expand_sweep(SweepDefinition::parse(json{{"repeats", 3}}, "f.json"), base_lookup);
  EXPECT_EQ(keys(points), (std::vector<std::string>{"#r0", "#r1", "#r2"}));
  EXPECT_EQ(points[2].repeat, 2);
  EXPECT_TRUE(expand_sweep(SweepDefinition::parse(json(), "f.json"), base_lookup).size() == 1);
}

TEST(Sweep, GridIsCartesianAxesSortedFirstOutermost) {
  // Axis "b" is written first but "a" sorts first, so "a" is the outer loop;
  // values keep file order (3 before 1).
  const json sweep = json::parse(R"({"axes": {"b": ["y", "x"], "a": [3, 1, 2]}})");
  const auto points = expand_sweep(SweepDefinition::parse(sweep, "f.json"), base_lookup);
  EXPECT_EQ(keys(points), (std::vector<std::string>{"a=3,b=y#r0", "a=3,b=x#r0", "a=1,b=y#r0",
                                                    "a=1,b=x#r0", "a=2,b=y#r0", "a=2,b=x#r0"}));
  EXPECT_EQ(points[1].values, json({{"a", 3}, {"b", "x"}}));
}

TEST(Sweep, PartialExcludeRemovesEveryMatchingPoint) {
  const json sweep = json::parse(R"({"axes": {"a": [1, 2], "b": ["x", "y"]},
                                     "exclude": [{"b": "y"}, {"a": 2, "b": "x"}]})");
  EXPECT_EQ(keys(expand_sweep(SweepDefinition::parse(sweep, "f.json"), base_lookup)),
            (std::vector<std::string>{"a=1,b=x#r0"}));
}

TEST(Sweep, IncludeCompletesWithBaseValuesAndSkipsDuplicates) {
  // {"b": "z"} takes the base a=1; {"a": 1, "b": "x"} was excluded but an
  // explicit include brings it back; {"a": 2, "b": "y"} is a new point;
  // {"c": true} (completed to a=1, b=x) names an extra path that only its own key carries.
  const json sweep = json::parse(R"({"axes": {"a": [1], "b": ["x"]},
      "include": [{"b": "z"}, {"a": 1, "b": "x"}, {"a": 2, "b": "y"}, {"c": true}],
      "exclude": [{"b": "x"}], "repeats": 2})");
  EXPECT_EQ(
      keys(expand_sweep(SweepDefinition::parse(sweep, "f.json"), base_lookup)),
      (std::vector<std::string>{"a=1,b=z#r0", "a=1,b=x#r0", "a=2,b=y#r0", "a=1,b=x,c=true#r0",
                                "a=1,b=z#r1", "a=1,b=x#r1", "a=2,b=y#r1", "a=1,b=x,c=true#r1"}));
}

TEST(Sweep, IncludeOfAnExistingPointAddsNothing) {
  const json sweep = json::parse(R"({"axes": {"a": [1, 2]}, "include": [{"a": 2}, {"a": 1.0}]})");
  // 1.0 equals 1 as a JSON number, so neither include adds a point.
  EXPECT_EQ(keys(expand_sweep(SweepDefinition::parse(sweep, "f.json"), base_lookup)),
            (std::vector<std::string>{"a=1#r0", "a=2#r0"}));
}

TEST(Sweep, KeysAreStableAndShowValuesPlainly) {
  // Insertion order does not matter: JSON objects are sorted by key.
  json values;
  values["z.y"] = 0.001;
  values["m"] = "fp32";
  values["a.b"] = false;
  EXPECT_EQ(trial_key(values, 4), "a.b=false,m=fp32,z.y=0.001#r4");
  EXPECT_EQ(trial_key(json::object(), 0), "#r0");
}

TEST(Sweep, KeysQuoteOnlyValuesThatHoldTheirSeparators) {
  // One axis whose value looks like two pairs must not share the key of the
  // two-axis point it imitates.
  const std::string imitation = trial_key({{"a", "x,b=y"}}, 0);
  EXPECT_NE(imitation, trial_key({{"a", "x"}, {"b", "y"}}, 0));
  EXPECT_EQ(imitation, "a=\"x,b=y\"#r0");
  EXPECT_EQ(trial_key({{"a", "say \"hi\""}}, 1), "a=\"say \\\"hi\\\"\"#r1");
  EXPECT_NE(trial_key({{"a", "\"x\""}}, 0), trial_key({{"a", "x"}}, 0));
  // Every other value keeps the key databases already hold.
  EXPECT_EQ(trial_key({{"p", "fp32"}, {"lr", 0.001}, {"v", {1, 2}}, {"f", "a b/c#d"}}, 2),
            "f=a b/c#d,lr=0.001,p=fp32,v=[1,2]#r2");
}

TEST(Sweep, RejectsMalformedSections) {
  EXPECT_THROW(SweepDefinition::parse(json{{"axes", {{"a", 1}}}}, "f.json"), SpecError);
  EXPECT_THROW(SweepDefinition::parse(json{{"include", {1}}}, "f.json"), SpecError);
  EXPECT_THROW(SweepDefinition::parse(json{{"repeats", 1.5}}, "f.json"), SpecError);
  EXPECT_THROW(SweepDefinition::parse(json{{"repeats", -1}}, "f.json"), SpecError);
  EXPECT_EQ(SweepDefinition::parse(json{{"repeats", 2.0}}, "f.json").repeats, 2);
}

TEST(JsonPath, FindSetAndDisplay) {
  json doc = {{"model", {{"params", {{"blocks", 2}}}}}};
  ASSERT_NE(find_json_path(doc, "model.params.blocks"), nullptr);
  EXPECT_EQ(*find_json_path(doc, "model.params.blocks"), 2);
  EXPECT_EQ(find_json_path(doc, "model.params.hidden"), nullptr);
  EXPECT_EQ(find_json_path(doc, "model.params.blocks.x"), nullptr);
  set_json_path(doc, "train.optimizer.lr", 0.5);
  EXPECT_EQ(doc["train"]["optimizer"]["lr"], 0.5);
  EXPECT_EQ(child_json_path("sweep.axes", "model.plugin"), "sweep.axes[\"model.plugin\"]");
  EXPECT_EQ(child_json_path("", "train"), "train");
  EXPECT_EQ(indexed_json_path("sweep.include", 2), "sweep.include[2]");
}

}  // namespace
}  // namespace stegolab
