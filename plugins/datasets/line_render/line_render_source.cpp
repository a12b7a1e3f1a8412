// The `line_render` dataset: sequences (a .npy float32 [N, L] or a CSV, one
// per row) drawn as line charts, a whole batch at a time on the device.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "line_drawing.hpp"
#include "line_style_params.hpp"
#include "sequence_file.hpp"
#include "stegolab/dataset.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab {
namespace {

const char* const kOwner = "dataset 'line_render'";

class LineRender : public ImageSource {
 public:
  LineRender(torch::Tensor sequences, const LineStyle& style)
      : sequences_(std::move(sequences)), style_(style) {}

  int64_t size() const override { return sequences_.size(0); }
  ImageExtent extent(int64_t) const override { return {style_.height, style_.width}; }
  ImageExtent sample_extent(bool) const override { return {style_.height, style_.width}; }
  // The charts are drawn, not augmented: nothing random to seed.
  void seed_augmentations(uint64_t) override {}

  torch::Tensor load(const torch::Tensor& indices, torch::Device device, bool) override {
    if (indices.dim() != 1 || indices.scalar_type() != torch::kLong) {
      throw PluginError(std::string(kOwner) + ": indices must be a 1-D int64 tensor");
    }
    const torch::Tensor wanted = indices.cpu();
    if (wanted.numel() > 0 &&
        (wanted.min().item<int64_t>() < 0 || wanted.max().item<int64_t>() >= size())) {
      throw PluginError(std::string(kOwner) + ": index out of range [0, " + std::to_string(size()) +
                        ")");
    }
    // One transfer of the batch's sequences; the pixels are made on the device.
    return render_lines(sequences_.index_select(0, wanted).to(device), style_);
  }

 private:
  torch::Tensor sequences_;  // float32 [N, L] on the CPU
  LineStyle style_;
};

PluginInfo line_render_info() {
  PluginInfo info;
  info.version = "1.0";
  info.summary = "sequences (.npy float32 [N, L] or CSV rows) drawn as line charts, batched";
  info.params = {{"path", "string", nullptr, ".npy (float32 [N, L]) or CSV file of sequences"}};
  for (const ParamDoc& doc : line_style_docs()) info.params.push_back(doc);
  return info;
}

// `path` is taken as given (relative to the working directory), as image_folder's.
std::shared_ptr<ImageSource> make_line_render(const Params& params, const BuildContext&) {
  if (!params.has("path")) throw ParamError(params.owner() + ": missing required parameter 'path'");
  const std::string path = params.get_string("path", "");
  return std::make_shared<LineRender>(read_sequences(kOwner, path), line_style_from(params));
}

}  // namespace
}  // namespace stegolab

STEGOLAB_PLUGIN(stegolab::ImageSource, line_render, stegolab::line_render_info,
                stegolab::make_line_render)
