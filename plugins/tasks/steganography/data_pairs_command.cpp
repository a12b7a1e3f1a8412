// `stegolab data pairs --folder DIR --seed S [--secrets k] [--out FILE]`:
// the samples the default pairing would draw from the folder's images for
// that seed, written as a pairs file that can then be edited and reused by
// every method of a comparison.
#include <fstream>
#include <iostream>
#include <vector>

#include "pairs_file.hpp"
#include "steganography_commands.hpp"
#include "stegolab/errors.hpp"

namespace stegolab::steganography {

int DataPairsCommand::run(const Params& options, CommandServices& services) {
  const std::string folder = options.get_string("folder", "");
  const int64_t secrets = options.get_int_at_least("secrets", 1, 1);
  // The names exactly as the image_folder dataset gives them to a trial; the
  // source wants a sample size, which the names do not depend on.
  const auto source = services.data_source("image_folder", {{"path", folder}, {"crop", 1}});
  std::vector<std::string> names;
  for (int64_t i = 0; i < source->size(); ++i) {
    names.push_back(source->image_name(i));
    if (names.back().find_first_of(" \t") != std::string::npos) {
      throw Error("data pairs: the image name '" + names.back() + "' in " + folder +
                  " contains white space, which a pairs file cannot hold");
    }
  }
  const std::string text =
      pairs_text(names, static_cast<uint64_t>(options.get_int("seed", 0)), secrets);
  const std::string out = options.get_string("out", "");
  if (out.empty()) {
    std::cout << text;
    return 0;
  }
  std::ofstream file(out, std::ios::binary);
  if (!(file << text) || !file.flush()) throw Error("data pairs: cannot write '" + out + "'");
  std::cerr << "wrote " << out << " (" << names.size() << " samples of 1 cover and " << secrets
            << " secret(s))\n";
  return 0;
}

}  // namespace stegolab::steganography
