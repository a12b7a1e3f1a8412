// Registration of the compression task and its commands.
#include "compression_commands.hpp"
#include "compression_metrics.hpp"
#include "compression_task.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab::compression {

namespace {

PluginInfo task_info() {
  PluginInfo info;
  info.name = "compression";
  info.version = "1.0.0";
  info.summary = "learned image compression: real streams, bpp (header included) and PSNR";
  info.params = {{"anchor_jpeg_qualities", "array", nlohmann::json::array(),
                  "JPEG qualities (1-100) whose rate and quality are measured on the same "
                  "evaluation images as the codec (OpenCV's encoder): the anchor of a "
                  "rate-distortion comparison, recorded as psnr@jpeg(q=Q), ms_ssim@jpeg(q=Q), "
                  "bpp@jpeg(q=Q)"}};
  info.components = CompressionTask::sections();
  info.metrics = compression_metric_declarations();
  info.best_metric = "psnr";
  // The curves of the field: the whole stream's rate against each quality.
  info.rate_quality = {{"bpp", "psnr"}, {"bpp", "ms_ssim"}};
  return info;
}

std::shared_ptr<Task> make_task(const Params& params, const BuildContext& /*context*/) {
  const nlohmann::json listed = params.has("anchor_jpeg_qualities")
                                    ? params.get_json("anchor_jpeg_qualities")
                                    : nlohmann::json::array();
  std::vector<int> qualities;
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const nlohmann::json& quality = listed[i];
    if (!quality.is_number_integer() || quality.get<int64_t>() < 1 || quality.get<int64_t>() > 100) {
      throw ParamError(params.owner() + ": anchor_jpeg_qualities[" + std::to_string(i) +
                       "]: expected a JPEG quality, an integer from 1 to 100, got " +
                       quality.dump());
    }
    qualities.push_back(quality.get<int>());
  }
  return std::make_shared<CompressionTask>(std::move(qualities));
}

std::vector<ParamDoc> with_checkpoint(std::vector<ParamDoc> own) {
  own.push_back({"checkpoint", "string", nullptr, "checkpoint directory of a compression trial"});
  own.push_back({"out", "string", nullptr, "output file"});
  own.push_back({"device", "string", "cpu",
                 "cpu, cuda or cuda:N; a stream decodes reliably only where the encoder's "
                 "floats are reproduced: use the same device on both sides"});
  return own;
}

PluginInfo compress_info() {
  PluginInfo info;
  info.name = "compress";
  info.version = "1.0.0";
  info.summary = "compress an image to a .slc stream with a compression checkpoint";
  info.params = with_checkpoint({{"image", "string", nullptr, "image file (any size)"}});
  return info;
}

PluginInfo decompress_info() {
  PluginInfo info;
  info.name = "decompress";
  info.version = "1.0.0";
  info.summary = "decode a .slc stream to an image with the checkpoint that wrote it";
  info.params = with_checkpoint({{"stream", "string", nullptr, ".slc stream file"}});
  return info;
}

std::shared_ptr<Command> make_compress(const Params&, const BuildContext&) {
  return std::make_shared<CompressCommand>();
}

std::shared_ptr<Command> make_decompress(const Params&, const BuildContext&) {
  return std::make_shared<DecompressCommand>();
}

}  // namespace

}  // namespace stegolab::compression

STEGOLAB_PLUGIN(stegolab::Task, compression, stegolab::compression::task_info,
                stegolab::compression::make_task)
STEGOLAB_PLUGIN(stegolab::Command, compress, stegolab::compression::compress_info,
                stegolab::compression::make_compress)
STEGOLAB_PLUGIN(stegolab::Command, decompress, stegolab::compression::decompress_info,
                stegolab::compression::make_decompress)
