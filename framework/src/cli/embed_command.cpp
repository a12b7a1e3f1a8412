// `stegolab embed` and `stegolab extract`: hide a secret image in a cover with
// a trained checkpoint, and recover it from the stego image.
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include <torch/torch.h>
#include <boost/program_options.hpp>

#include "checkpoint/checkpoint.hpp"
#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/plugin_path_option.hpp"
#include "image_io/image_io.hpp"
#include "stegolab/image_quality.hpp"

namespace stegolab::cli {

namespace {

namespace po = boost::program_options;

struct CommonOptions {
  std::string checkpoint;
  std::string out;
  std::string device = "cpu";
  std::string fit;  // "" : as the checkpoint says
  std::vector<std::string> plugin_paths;
};

void add_common(po::options_description& options, CommonOptions& common) {
  options.add_options()("help,h", "show this help")(
      "checkpoint", po::value(&common.checkpoint)->required(), "checkpoint directory")(
      "out", po::value(&common.out)->required(), "output image (PNG: 8-bit, lossless)")(
      "device", po::value(&common.device)->default_value("cpu"), "cpu or cuda")(
      "fit", po::value(&common.fit),
      "how images meet the model: resize (to the trained square size) or native (the cover's own "
      "size; the model is convolutional); default: the checkpoint's \"resize\" field");
  add_plugin_path_option(options, &common.plugin_paths);
}

torch::Device parse_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda") {
    if (!torch::cuda::is_available()) throw Error("--device cuda: no CUDA device is available");
    return torch::kCUDA;
  }
  throw Error("--device must be cpu or cuda, got '" + name + "'");
}

// "resize" or "native": --fit, else what the checkpoint was saved with.
std::string fit_mode(const CommonOptions& common, const CheckpointManifest& manifest) {
  const std::string mode = common.fit.empty() ? manifest.resize : common.fit;
  if (mode != "resize" && mode != "native") {
    throw Error((common.fit.empty() ? "checkpoint " + common.checkpoint + ": \"resize\""
                                    : std::string("--fit")) +
                " must be resize or native, got '" + mode + "'");
  }
  return mode;
}

// An image as the model takes it, NCHW in [-1, 1] on `device`, at
// height x width; says so (on stderr, with the other notes) when it resized.
torch::Tensor load_at(const std::string& file, int64_t height, int64_t width,
                      const std::string& why, torch::Device device) {
  auto pixels = read_image(file, &std::cerr);
  if (pixels.size(0) != height || pixels.size(1) != width) {
    std::cerr << "note: resized " << file << " from " << pixels.size(1) << "x" << pixels.size(0)
              << " to " << width << "x" << height << " (" << why << ")\n";
    pixels = resize_image(pixels, height, width);
  }
  return to_model_image(pixels, device);
}

// The first image of a command: at the trained size ("resize", aspect ratio
// not kept) or at its own size ("native").
torch::Tensor load_first(const std::string& file, const std::string& mode,
                         const CheckpointManifest& manifest, torch::Device device) {
  if (mode == "native") return to_model_image(read_image(file, &std::cerr), device);
  const int64_t size = manifest.image_size;
  return load_at(file, size, size, "the trained size; --fit native keeps the image's own size",
                 device);
}

// a, b: NCHW in [-1, 1].
void print_quality(const char* label, const torch::Tensor& a, const torch::Tensor& b) {
  const auto x = (a + 1.0) * 0.5, y = (b + 1.0) * 0.5;
  std::cout << std::fixed << std::setprecision(2) << label << ": PSNR "
            << psnr(x, y, 1.0).item<double>() << " dB, SSIM " << std::setprecision(4)
            << ssim(x, y, 1.0).item<double>() << "\n";
}

LoadedCheckpoint open_checkpoint(const CommonOptions& common, torch::Device device) {
  const PluginRegistry registry = load_plugins(common.plugin_paths, nullptr);
  auto loaded = load_checkpoint(common.checkpoint, registry, device);
  loaded.model->eval();
  return loaded;
}

}  // namespace

int embed_command(const Arguments& args) {
  CommonOptions common;
  std::string cover_file, secret_file;
  po::options_description options(
      "stegolab embed --checkpoint C --cover A --secret B --out STEGO.png [options]");
  options.add_options()("cover", po::value(&cover_file)->required(), "cover image")(
      "secret", po::value(&secret_file)->required(), "secret image to hide");
  add_common(options, common);
  po::variables_map vm;
  if (!parse_command_line("embed", args, options, vm)) return 0;
  const auto device = parse_device(common.device);
  const auto loaded = open_checkpoint(common, device);
  const std::string mode = fit_mode(common, loaded.manifest);
  const auto cover = load_first(cover_file, mode, loaded.manifest, device);
  const auto secret =
      load_at(secret_file, cover.size(2), cover.size(3), "the cover's size", device);
  torch::NoGradGuard no_grad;
  // Quantised to 8 bits: what is measured is exactly what is written.
  const auto stego_pixels = from_model_image(loaded.model->embed(cover, secret).stego);
  write_image(common.out, stego_pixels);
  std::cout << "wrote " << common.out << " (" << stego_pixels.size(1) << "x" << stego_pixels.size(0)
            << ", fit " << mode << ")\n";
  print_quality("stego vs cover", to_model_image(stego_pixels, device), cover);
  return 0;
}

int extract_command(const Arguments& args) {
  CommonOptions common;
  std::string stego_file, reference_file;
  po::options_description options(
      "stegolab extract --checkpoint C --stego S --out SECRET.png [options]");
  options.add_options()("stego", po::value(&stego_file)->required(), "stego image")(
      "reference", po::value(&reference_file), "the original secret, to report PSNR/SSIM against");
  add_common(options, common);
  po::variables_map vm;
  if (!parse_command_line("extract", args, options, vm)) return 0;
  const auto device = parse_device(common.device);
  const auto loaded = open_checkpoint(common, device);
  const std::string mode = fit_mode(common, loaded.manifest);
  const auto stego = load_first(stego_file, mode, loaded.manifest, device);
  torch::NoGradGuard no_grad;
  const auto secret_pixels = from_model_image(loaded.model->extract(stego));
  write_image(common.out, secret_pixels);
  std::cout << "wrote " << common.out << " (" << secret_pixels.size(1) << "x"
            << secret_pixels.size(0) << ")\n";
  if (!reference_file.empty()) {
    const auto reference =
        load_at(reference_file, stego.size(2), stego.size(3), "the stego's size", device);
    print_quality("recovered vs reference", to_model_image(secret_pixels, device), reference);
  }
  return 0;
}

}  // namespace stegolab::cli
