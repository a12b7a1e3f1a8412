// Pairs files: samples fixed by image name, one per line,
//   cover secret_1 [secret_2 ...]
// names as the data source gives them (ImageSource::image_name: an image
// folder's file names relative to the folder), separated by white space.
// Blank lines and lines starting with '#' are skipped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "image_pairs.hpp"
#include "stegolab/dataset.hpp"

namespace stegolab::steganography {

// One line per sample, names as written.
struct NamedSample {
  int64_t line = 0;  // 1-based line number in the file
  std::vector<std::string> names;  // the cover, then the secrets
};

// The samples of `file` (named as the user wrote it, for messages), each with
// exactly 1 + `secrets` names. Throws ParamError "<file>:<line>: ..." for a
// line with another number of names, "<file>: ..." for an unreadable file or
// one without samples.
std::vector<NamedSample> read_pairs_file(const std::string& file, const std::string& path,
                                         int64_t secrets);

// The samples as index lists into `source`. Throws ParamError
// "<file>:<line>: no image '<name>' in the data source" for an unknown name.
ImagePairs resolve_pairs(const std::vector<NamedSample>& samples, const ImageSource& source,
                         const std::string& file, int64_t secrets);

// Writes the default pairing's samples (fixed_pairs() of a seeded permutation
// of all names) in the format above: the samples `stegolab data pairs` writes.
std::string pairs_text(const std::vector<std::string>& names, uint64_t seed, int64_t secrets);

}  // namespace stegolab::steganography
