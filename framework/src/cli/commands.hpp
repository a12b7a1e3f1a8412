// The `stegolab` subcommands. Each takes the arguments after its own name
// and returns the process exit code; errors are thrown as stegolab::Error
// and printed on one line by main().
#pragma once

#include <string>
#include <vector>

namespace stegolab::cli {

using Arguments = std::vector<std::string>;

int run_command(const Arguments& args);         // run an experiment (sweep)
int plugins_command(const Arguments& args);     // list / show plugins
int results_command(const Arguments& args);     // query a results database
int report_command(const Arguments& args);      // paper tables from a database
int plot_command(const Arguments& args);        // SVG plots from a database
int gallery_command(const Arguments& args);     // a trial's pictures from a checkpoint
int bench_command(const Arguments& args);       // step / matrix / transforms benchmarks
int tune_batch_command(const Arguments& args);  // largest batch that fits
int submit_command(const Arguments& args);      // a sweep as a cluster job array
int compare_command(const Arguments& args);     // the metric set of two image files

}  // namespace stegolab::cli
