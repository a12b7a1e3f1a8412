// `stegolab compress` and `stegolab decompress`: an image file to a stream
// file (.slc) and back, with a trained compression checkpoint.
#pragma once

#include "stegolab/command.hpp"

namespace stegolab::compression {

class CompressCommand : public Command {
 public:
  int run(const Params& options, CommandServices& services) override;
};

class DecompressCommand : public Command {
 public:
  int run(const Params& options, CommandServices& services) override;
};

}  // namespace stegolab::compression
