#include "pairs_file.hpp"

#include <fstream>
#include <sstream>
#include <unordered_map>

#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/seeded_permutation.hpp"

namespace stegolab::steganography {

namespace {

std::string names_wanted(int64_t secrets) {
  return "a cover and " + std::to_string(secrets) + " secret" + (secrets == 1 ? "" : "s");
}

}  // namespace

std::vector<NamedSample> read_pairs_file(const std::string& file, const std::string& path,
                                         int64_t secrets) {
  std::ifstream in(path);
  if (!in) throw ParamError(file + ": cannot read the pairs file");
  std::vector<NamedSample> samples;
  std::string text;
  for (int64_t line = 1; std::getline(in, text); ++line) {
    std::istringstream words(text);
    NamedSample sample{line, {}};
    for (std::string name; words >> name;) sample.names.push_back(name);
    if (sample.names.empty() || sample.names.front().rfind('#', 0) == 0) continue;
    if (static_cast<int64_t>(sample.names.size()) != 1 + secrets) {
      throw ParamError(file + ":" + std::to_string(line) + ": expected " + names_wanted(secrets) +
                       " (task.params.secrets = " + std::to_string(secrets) + "), got " +
                       std::to_string(sample.names.size()) + " name(s)");
    }
    samples.push_back(std::move(sample));
  }
  if (samples.empty()) throw ParamError(file + ": the pairs file has no samples");
  return samples;
}

ImagePairs resolve_pairs(const std::vector<NamedSample>& samples, const ImageSource& source,
                         const std::string& file, int64_t secrets) {
  std::unordered_map<std::string, int64_t> index_of;
  for (int64_t i = 0; i < source.size(); ++i) index_of.emplace(source.image_name(i), i);
  std::vector<std::vector<int64_t>> columns(static_cast<size_t>(1 + secrets));
  for (const NamedSample& sample : samples) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const auto found = index_of.find(sample.names[c]);
      if (found == index_of.end()) {
        throw ParamError(file + ":" + std::to_string(sample.line) + ": no image '" +
                         sample.names[c] + "' in the data source");
      }
      columns[c].push_back(found->second);
    }
  }
  ImagePairs pairs;
  pairs.covers = torch::tensor(columns[0], torch::kLong);
  for (size_t c = 1; c < columns.size(); ++c) {
    pairs.secrets.push_back(torch::tensor(columns[c], torch::kLong));
  }
  return pairs;
}

std::string pairs_text(const std::vector<std::string>& names, uint64_t seed, int64_t secrets) {
  const auto count = static_cast<int64_t>(names.size());
  const ImagePairs pairs =
      fixed_pairs(seeded_permutation(torch::arange(count, torch::kLong), seed), secrets);
  std::ostringstream text;
  for (int64_t i = 0; i < pairs.size(); ++i) {
    text << names[static_cast<size_t>(pairs.covers[i].item<int64_t>())];
    for (const torch::Tensor& secret : pairs.secrets) {
      text << ' ' << names[static_cast<size_t>(secret[i].item<int64_t>())];
    }
    text << '\n';
  }
  return text.str();
}

}  // namespace stegolab::steganography
