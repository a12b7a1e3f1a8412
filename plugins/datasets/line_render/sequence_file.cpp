#include "sequence_file.hpp"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include <torch/torch.h>

#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

struct NpyHeader {
  std::string dtype;
  bool fortran = false;
  std::vector<int64_t> shape;
};

// The header's Python dict, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 100), }
NpyHeader parse_npy_header(const std::string& where, const std::string& text) {
  std::smatch match;
  NpyHeader header;
  if (!std::regex_search(text, match, std::regex(R"('descr'\s*:\s*'([^']*)')"))) {
    throw PluginError(where + ": .npy header has no 'descr'");
  }
  header.dtype = match[1];
  header.fortran = std::regex_search(text, std::regex(R"('fortran_order'\s*:\s*True)"));
  if (!std::regex_search(text, match, std::regex(R"('shape'\s*:\s*\(([^)]*)\))"))) {
    throw PluginError(where + ": .npy header has no 'shape'");
  }
  std::stringstream dims(match[1].str());
  std::string item;
  while (std::getline(dims, item, ',')) {
    if (item.find_first_not_of(" ") == std::string::npos) continue;
    header.shape.push_back(std::stoll(item));
  }
  return header;
}

torch::Tensor read_npy(const std::string& where, std::ifstream& in) {
  char magic[8];
  in.read(magic, 8);
  if (!in || std::memcmp(magic, "\x93NUMPY", 6) != 0) {
    throw PluginError(where + ": not a .npy file (no \\x93NUMPY magic)");
  }
  const int major = static_cast<unsigned char>(magic[6]);
  uint32_t length = 0;
  unsigned char bytes[4] = {0, 0, 0, 0};
  in.read(reinterpret_cast<char*>(bytes), major == 1 ? 2 : 4);
  length = bytes[0] | bytes[1] << 8 | bytes[2] << 16 | static_cast<uint32_t>(bytes[3]) << 24;
  std::string text(length, '\0');
  in.read(text.data(), length);
  if (!in) throw PluginError(where + ": the .npy header is cut short");
  const NpyHeader header = parse_npy_header(where, text);
  if (header.dtype != "<f4" && header.dtype != "=f4") {
    throw PluginError(where + ": .npy dtype '" + header.dtype +
                      "' is not little-endian float32 ('<f4'); convert it with "
                      "array.astype(numpy.float32)");
  }
  if (header.fortran) throw PluginError(where + ": .npy in Fortran order; save a C-order array");
  if (header.shape.size() != 2 || header.shape[0] < 1 || header.shape[1] < 2) {
    throw PluginError(where + ": .npy shape must be [N, L] with N >= 1 and L >= 2");
  }
  torch::Tensor values = torch::empty({header.shape[0], header.shape[1]}, torch::kFloat);
  in.read(reinterpret_cast<char*>(values.data_ptr<float>()),
          static_cast<std::streamsize>(values.numel() * sizeof(float)));
  if (!in) throw PluginError(where + ": the .npy data are shorter than its shape says");
  return values;
}

torch::Tensor read_csv(const std::string& where, std::ifstream& in) {
  std::vector<float> values;
  int64_t rows = 0, columns = -1;
  std::string line;
  for (int64_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::stringstream cells(line);
    std::string cell;
    int64_t count = 0;
    while (std::getline(cells, cell, ',')) {
      size_t used = 0;
      try {
        values.push_back(std::stof(cell, &used));
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || cell.find_first_not_of(" \t\r", used) != std::string::npos) {
        throw PluginError(where + ":" + std::to_string(number) + ": '" + cell +
                          "' is not a number");
      }
      ++count;
    }
    if (columns >= 0 && count != columns) {
      throw PluginError(where + ":" + std::to_string(number) + ": " + std::to_string(count) +
                        " values, the rows before have " + std::to_string(columns));
    }
    columns = count;
    ++rows;
  }
  if (rows < 1 || columns < 2) throw PluginError(where + ": needs a row of at least 2 values");
  return torch::from_blob(values.data(), {rows, columns}, torch::kFloat).clone();
}

}  // namespace

torch::Tensor read_sequences(const std::string& owner, const std::string& file) {
  const std::string where = owner + ": '" + file + "'";
  std::ifstream in(file, std::ios::binary);
  if (!in) throw PluginError(where + ": cannot open the file");
  const bool npy = file.size() >= 4 && file.compare(file.size() - 4, 4, ".npy") == 0;
  return npy ? read_npy(where, in) : read_csv(where, in);
}

}  // namespace stegolab
