#include "compression_commands.hpp"

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <memory>

#include <torch/torch.h>

#include "compression_task.hpp"
#include "image_codec.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::compression {

namespace {

std::shared_ptr<CompressionTask> open_checkpoint(const Params& options,
                                                 CommandServices& services,
                                                 torch::Device device) {
  const std::string checkpoint = options.get_string("checkpoint", "");
  RestoredTask restored = services.restore(checkpoint, device);
  auto task = std::dynamic_pointer_cast<CompressionTask>(restored.task);
  if (!task) throw Error("checkpoint " + checkpoint + " is not of the compression task");
  return task;
}

std::vector<uint8_t> read_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file + ": cannot open for reading");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Milliseconds since `start`.
double elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

void write_file(const std::string& file, const std::vector<uint8_t>& bytes) {
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw Error(file + ": cannot write");
}

}  // namespace

int CompressCommand::run(const Params& options, CommandServices& services) {
  const torch::Device device = services.device(options.get_string("device", "cpu"));
  const auto task = open_checkpoint(options, services, device);
  const std::string in = options.get_string("image", "");
  const std::string out = options.get_string("out", "");
  const torch::Tensor image = images_from_uint8(services.read_image(in).unsqueeze(0)).to(device);
  torch::NoGradGuard no_grad;
  const ImageCodec codec(task->model(), task->model_plugin());
  const auto start = std::chrono::steady_clock::now();
  const std::vector<uint8_t> stream = codec.compress(image);
  const double encode_ms = elapsed_ms(start);
  write_file(out, stream);
  const double pixels = static_cast<double>(image.size(2) * image.size(3));
  std::cout << "wrote " << out << ": " << stream.size() << " bytes, " << std::fixed
            << std::setprecision(4) << 8.0 * static_cast<double>(stream.size()) / pixels
            << " bpp (header included) for " << image.size(3) << "x" << image.size(2)
            << ", encoded in " << std::setprecision(1) << encode_ms << " ms\n";
  return 0;
}

int DecompressCommand::run(const Params& options, CommandServices& services) {
  const torch::Device device = services.device(options.get_string("device", "cpu"));
  const auto task = open_checkpoint(options, services, device);
  const std::string in = options.get_string("stream", "");
  const std::string out = options.get_string("out", "");
  torch::NoGradGuard no_grad;
  const ImageCodec codec(task->model(), task->model_plugin());
  const std::vector<uint8_t> stream = read_file(in);
  const auto start = std::chrono::steady_clock::now();
  const torch::Tensor decoded = codec.decompress(stream, in);
  const double decode_ms = elapsed_ms(start);
  const torch::Tensor pixels = images_to_uint8(decoded)[0];
  services.write_image(out, pixels);
  std::cout << "wrote " << out << " (" << pixels.size(1) << "x" << pixels.size(0)
            << "), decoded in " << std::fixed << std::setprecision(1) << decode_ms << " ms\n";
  return 0;
}

}  // namespace stegolab::compression
