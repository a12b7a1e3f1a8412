// Params: the typed, checked access every plugin uses for its JSON parameters.
// Each expected message below is the one a user sees on the command line, so
// the tests compare whole strings: the owner, the key, the expected type and
// the offending value must all be there.
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "stegolab/errors.hpp"
#include "stegolab/params.hpp"

namespace {

using nlohmann::json;
using stegolab::Params;

// The ParamError message `action` throws; anything else is reported so that
// the comparison fails with a readable difference.
std::string param_error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const stegolab::ParamError& error) {
    return error.what();
  } catch (const std::exception& error) {
    return std::string("<not a ParamError: ") + error.what() + ">";
  }
  return "<nothing thrown>";
}

const Params kParams("transform 'haar_dwt'",
                     json{{"levels", 3},
                          {"float_int", 4.0},
                          {"fraction", 4.5},
                          {"rate", 0.25},
                          {"flag", true},
                          {"mode", "l2"},
                          {"text", "4"},
                          {"list", json::array({1, 2})},
                          {"nothing", nullptr}});

TEST(Params, ReturnsPresentValuesAndFallbacksForAbsentOnes) {
  EXPECT_EQ(kParams.get_int("levels", 1), 3);
  EXPECT_EQ(kParams.get_int("absent", -7), -7);
  // 4.0 is an integer a user may well write in JSON.
  EXPECT_EQ(kParams.get_int("float_int", 1), 4);
  EXPECT_DOUBLE_EQ(kParams.get_number("rate", 1.0), 0.25);
  // An integer is a number too.
  EXPECT_DOUBLE_EQ(kParams.get_number("levels", 1.0), 3.0);
  EXPECT_DOUBLE_EQ(kParams.get_number("absent", 0.5), 0.5);
  EXPECT_TRUE(kParams.get_bool("flag", false));
  EXPECT_FALSE(kParams.get_bool("absent", false));
  EXPECT_EQ(kParams.get_string("mode", "l1"), "l2");
  EXPECT_EQ(kParams.get_string("absent", "dflt"), "dflt");
  EXPECT_EQ(kParams.get_choice("mode", "l1", {"l1", "l2"}), "l2");
  EXPECT_EQ(kParams.get_choice("absent", "l1", {"l1", "l2"}), "l1");
  EXPECT_EQ(kParams.get_json("list"), json::array({1, 2}));
  EXPECT_TRUE(kParams.has("nothing"));
  EXPECT_FALSE(kParams.has("absent"));
  EXPECT_EQ(kParams.owner(), "transform 'haar_dwt'");
}

TEST(Params, NullValuesMeanNoParameters) {
  const Params params("loss 'x'", nullptr);
  EXPECT_TRUE(params.values().is_object());
  EXPECT_TRUE(params.values().empty());
  EXPECT_EQ(params.get_int("anything", 5), 5);
}

TEST(Params, RejectsValuesThatAreNotAnObject) {
  EXPECT_EQ(param_error_of([] { Params("loss 'x'", json::array({1})); }),
            "loss 'x': parameters must be a JSON object, got array");
  EXPECT_EQ(param_error_of([] { Params("loss 'x'", 3); }),
            "loss 'x': parameters must be a JSON object, got integer");
}

TEST(Params, IntGetterNamesOwnerKeyExpectedTypeAndValue) {
  EXPECT_EQ(param_error_of([] { kParams.get_int("text", 1); }),
            "transform 'haar_dwt': parameter 'text' must be an integer, got \"4\" (string)");
  // 4.5 is not an integer even though it is a number.
  EXPECT_EQ(param_error_of([] { kParams.get_int("fraction", 1); }),
            "transform 'haar_dwt': parameter 'fraction' must be an integer, got 4.5 (number)");
  EXPECT_EQ(param_error_of([] { kParams.get_int("nothing", 1); }),
            "transform 'haar_dwt': parameter 'nothing' must be an integer, got null (null)");
}

TEST(Params, NumberGetterNamesExpectedType) {
  EXPECT_EQ(param_error_of([] { kParams.get_number("flag", 1.0); }),
            "transform 'haar_dwt': parameter 'flag' must be a number, got true (boolean)");
  EXPECT_EQ(param_error_of([] { kParams.get_number("text", 1.0); }),
            "transform 'haar_dwt': parameter 'text' must be a number, got \"4\" (string)");
}

TEST(Params, BoolGetterDoesNotAcceptNumbers) {
  EXPECT_EQ(param_error_of([] { kParams.get_bool("levels", false); }),
            "transform 'haar_dwt': parameter 'levels' must be true or false, got 3 (integer)");
}

TEST(Params, StringGetterNamesExpectedType) {
  EXPECT_EQ(param_error_of([] { kParams.get_string("list", ""); }),
            "transform 'haar_dwt': parameter 'list' must be a string, got [1,2] (array)");
}

TEST(Params, ChoiceGetterListsTheAllowedValues) {
  EXPECT_EQ(param_error_of([] { kParams.get_choice("mode", "l1", {"l1", "smooth_l1"}); }),
            "transform 'haar_dwt': parameter 'mode' must be one of \"l1\", \"smooth_l1\", "
            "got \"l2\" (string)");
  // The type check comes first: a number is not a choice.
  EXPECT_EQ(param_error_of([] { kParams.get_choice("levels", "l1", {"l1"}); }),
            "transform 'haar_dwt': parameter 'levels' must be a string, got 3 (integer)");
}

TEST(Params, JsonGetterRequiresThePresenceOfTheKey) {
  EXPECT_EQ(param_error_of([] { kParams.get_json("absent"); }),
            "transform 'haar_dwt': missing required parameter 'absent'");
  // Present but null is present.
  EXPECT_TRUE(kParams.get_json("nothing").is_null());
}

TEST(Params, IntRangeCheckIsInclusiveAndSaysTheMinimum) {
  EXPECT_EQ(kParams.get_int_at_least("levels", 1, 3), 3);  // levels == 3 == minimum
  EXPECT_EQ(param_error_of([] { kParams.get_int_at_least("levels", 1, 4); }),
            "transform 'haar_dwt': parameter 'levels' must be an integer >= 4, got 3 (integer)");
  // The type error wins over the range error.
  EXPECT_EQ(param_error_of([] { kParams.get_int_at_least("text", 1, 0); }),
            "transform 'haar_dwt': parameter 'text' must be an integer, got \"4\" (string)");
}

TEST(Params, NumberRangeCheckIsInclusiveOnBothEnds) {
  // rate == 0.25: both bounds are inclusive.
  EXPECT_DOUBLE_EQ(kParams.get_number_in("rate", 0.0, 0.25, 0.25), 0.25);
  EXPECT_EQ(param_error_of([] { kParams.get_number_in("rate", 0.0, 0.5, 1.0); }),
            "transform 'haar_dwt': parameter 'rate' must be a number in [0.5, 1], got 0.25 (number)");
  EXPECT_EQ(param_error_of([] { kParams.get_number_in("fraction", 0.0, 0.0, 1.0); }),
            "transform 'haar_dwt': parameter 'fraction' must be a number in [0, 1], got 4.5 (number)");
  EXPECT_DOUBLE_EQ(kParams.get_number_in("absent", 0.75, 0.0, 1.0), 0.75);
}

TEST(Params, RejectUnknownSuggestsTheClosestKnownKey) {
  const Params params("transform 'haar_dwt'", json{{"levles", 2}});
  EXPECT_EQ(param_error_of([&] { params.reject_unknown({"levels", "mode"}); }),
            "transform 'haar_dwt': unknown parameter 'levles' (did you mean 'levels'?); "
            "known: levels, mode");
}

TEST(Params, RejectUnknownWithoutAPlausibleSuggestion) {
  const Params params("loss 'mse'", json{{"zzzzzz", 2}});
  EXPECT_EQ(param_error_of([&] { params.reject_unknown({"levels", "mode"}); }),
            "loss 'mse': unknown parameter 'zzzzzz'; known: levels, mode");
  EXPECT_EQ(param_error_of([&] { params.reject_unknown({}); }),
            "loss 'mse': unknown parameter 'zzzzzz'; known: none");
}

TEST(Params, RejectUnknownAcceptsKnownKeys) {
  EXPECT_NO_THROW(kParams.reject_unknown({"levels", "float_int", "fraction", "rate", "flag",
                                          "mode", "text", "list", "nothing"}));
}

TEST(ClosestName, FindsTyposAndIgnoresUnrelatedWords) {
  EXPECT_EQ(stegolab::closest_name("levels", {"mode", "levels"}), "levels");   // distance 0
  EXPECT_EQ(stegolab::closest_name("levles", {"mode", "levels"}), "levels");   // distance 2
  EXPECT_EQ(stegolab::closest_name("haar_dwtt", {"ilwt53", "haar_dwt"}), "haar_dwt");  // 1
  EXPECT_EQ(stegolab::closest_name("starinn", {"haar_dwt", "l1"}), "");
  EXPECT_EQ(stegolab::closest_name("anything", {}), "");
}

TEST(ClosestName, PrefersTheNearestCandidate) {
  // "ssim_weigth" is 2 edits away (a transposition is two substitutions),
  // "ssim_weights" 1 (an insertion): the nearer wins although listed second.
  EXPECT_EQ(stegolab::closest_name("ssim_weight", {"ssim_weigth", "ssim_weights"}),
            "ssim_weights");
}

TEST(ClosestName, ToleranceGrowsWithTheWordLength) {
  // 12 letters: up to max(2, 12 / 3) = 4 edits count as a typo.
  EXPECT_EQ(stegolab::closest_name("abcdefghijkl", {"abcdefghwxyz"}), "abcdefghwxyz");  // 4 edits
  EXPECT_EQ(stegolab::closest_name("abcdefghijkl", {"abcdefgvwxyz"}), "");              // 5 edits
  // 4 letters: up to max(2, 1) = 2 edits.
  EXPECT_EQ(stegolab::closest_name("mode", {"made"}), "made");    // 1 edit
  EXPECT_EQ(stegolab::closest_name("mode", {"mist"}), "");        // 3 edits
}

}  // namespace
