#include "data/extent_batches.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

#include <torch/torch.h>

namespace stegolab {

std::vector<ExtentBatch> batches_by_extent(const ImageSource& source,
                                           const torch::Tensor& first_list, int64_t batch_size) {
  const torch::Tensor list = first_list.to(torch::kLong).contiguous();
  const int64_t* values = list.data_ptr<int64_t>();
  std::vector<std::pair<ImageExtent, std::vector<int64_t>>> groups;
  for (int64_t position = 0; position < list.numel(); ++position) {
    const ImageExtent extent = source.extent(values[position]);
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const auto& candidate) { return candidate.first == extent; });
    if (group == groups.end()) {
      groups.emplace_back(extent, std::vector<int64_t>{});
      group = std::prev(groups.end());
    }
    group->second.push_back(position);
  }
  std::vector<ExtentBatch> batches;
  for (const auto& [extent, positions] : groups) {
    for (size_t begin = 0; begin < positions.size(); begin += static_cast<size_t>(batch_size)) {
      const size_t end = std::min(positions.size(), begin + static_cast<size_t>(batch_size));
      std::vector<int64_t> part(positions.begin() + static_cast<std::ptrdiff_t>(begin),
                                positions.begin() + static_cast<std::ptrdiff_t>(end));
      batches.push_back({torch::tensor(part, torch::kLong), extent});
    }
  }
  return batches;
}

}  // namespace stegolab
