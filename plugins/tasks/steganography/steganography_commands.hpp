// The commands the steganography task adds to `stegolab`.
#pragma once

#include "stegolab/command.hpp"

namespace stegolab::steganography {

class EmbedCommand : public Command {
 public:
  int run(const Params& options, CommandServices& services) override;
};

class ExtractCommand : public Command {
 public:
  int run(const Params& options, CommandServices& services) override;
};

// `stegolab data pairs`: a pairs file (pairs_file.hpp) of a folder's images.
class DataPairsCommand : public Command {
 public:
  int run(const Params& options, CommandServices& services) override;
};

// `stegolab steganalyze`: detectors against a recorded trial's stego images
// (steganalysis/steganalysis.hpp), stored as metrics of the trial.
class SteganalyzeCommand : public Command {
 public:
  int run(const Params& options, CommandServices& services) override;
};

// `stegolab evaluate`: another method's output folders measured with this
// task's metrics, recorded as an external trial (evaluate/).
class EvaluateCommand : public Command {
 public:
  int run(const Params& options, CommandServices& services) override;
};

}  // namespace stegolab::steganography
