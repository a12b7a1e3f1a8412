// What one metric a task records means (part of PluginInfo). Kept apart
// from plugin.hpp, with no LibTorch in it, so that the results database and
// the reports can use it without compiling LibTorch's headers.
#pragma once

#include <optional>
#include <string>

namespace stegolab {

// What one metric means. The host's validation (`train.best_metric`), the
// reports' bold best, the run summary and the results database read these.
struct MetricDeclaration {
  std::string name;         // as recorded, e.g. "psnr"
  std::string description;  // how it is computed: averaging, caps, scale
  std::string unit;         // "dB", "", "fraction", ...
  std::string better;       // "higher" | "lower" | "" (neither)
  std::optional<double> range_min, range_max;
  std::string colour_space;       // image metrics: "RGB", "Y", ...; else ""
  std::optional<bool> quantised;  // image metrics compared as 8-bit values (true) or float
  int summary = 0;                // > 0: shown in the end-of-run summary tables, in this order
  int digits = 2;                 // decimals in summaries
};

// Two metrics of a task that trade against each other as a curve: a rate
// (lower is better) and a quality (higher is better). Reports that name no
// "rate" and "quality" of their own (a table made on the command line, the
// HTML report of an experiment without "reports") show, for each pair the
// trials' task declared, the curves' points and their Bjøntegaard delta
// rates against the reference curves the task recorded as
// "<rate>@<curve>(<setting>)" beside "<quality>@<curve>(<setting>)".
struct RateQualityPair {
  std::string rate;
  std::string quality;
};

}  // namespace stegolab
