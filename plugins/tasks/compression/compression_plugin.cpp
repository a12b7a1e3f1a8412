// Registration of the compression task and its commands.
#include "compression_commands.hpp"
#include "compression_metrics.hpp"
#include "compression_task.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab::compression {

namespace {

PluginInfo task_info() {
  PluginInfo info;
  info.name = "compression";
  info.version = "1.0.0";
  info.summary = "learned image compression: real streams, bpp (header included) and PSNR";
  info.components = CompressionTask::sections();
  info.metrics = compression_metric_declarations();
  info.best_metric = "psnr";
  return info;
}

std::shared_ptr<Task> make_task(const Params& /*params*/, const BuildContext& /*context*/) {
  return std::make_shared<CompressionTask>();
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
