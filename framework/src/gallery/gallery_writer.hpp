// Galleries: the pictures a task names for its first evaluation samples,
// written as 8-bit PNG files, for the trainer at the end of a trial and for
// `stegolab gallery` on demand.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include <torch/types.h>

#include "stegolab/dataset.hpp"
#include "stegolab/task.hpp"
#include "store/result_records.hpp"

namespace stegolab {

struct GalleryRequest {
  torch::Tensor indices;  // the split's indices into the source (int64, 1-D, CPU)
  Split split = Split::test;
  int64_t count = 4;  // the first `count` evaluation samples of the split
  int64_t batch_size = 16;
  std::filesystem::path folder;  // emptied, then one file per sample and panel
};

// Runs task.gallery() on the first samples of the split and writes
// <folder>/<sample>_<panel>.png. Throws Error naming the task and what was
// wrong (a panel of another shape, a name that cannot be a file name) or the
// file that could not be written; the folder may then be partly written.
std::vector<GalleryImage> write_gallery(Task& task, const std::string& task_name,
                                        std::shared_ptr<ImageSource> source, torch::Device device,
                                        const PrecisionScope& scope, const GalleryRequest& request);

}  // namespace stegolab
