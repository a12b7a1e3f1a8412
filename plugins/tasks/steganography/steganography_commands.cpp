// `stegolab embed` and `stegolab extract`: hide a secret image in a cover with
// a trained checkpoint, and recover it from the stego image.
#include "steganography_commands.hpp"

#include <iostream>
#include <memory>

#include <torch/torch.h>

#include "image_fitting.hpp"
#include "output_format.hpp"
#include "quality_report.hpp"
#include "steganography_task.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::steganography {

namespace {

struct Opened {
  std::shared_ptr<SteganographyTask> task;
  nlohmann::json manifest;
  torch::Device device = torch::kCPU;
  std::string mode;
};

Opened open(const Params& options, CommandServices& services) {
  Opened opened;
  opened.device = services.device(options.get_string("device", "cpu"));
  const std::string checkpoint = options.get_string("checkpoint", "");
  RestoredTask restored = services.restore(checkpoint, opened.device);
  opened.task = std::dynamic_pointer_cast<SteganographyTask>(restored.task);
  if (!opened.task) {
    throw Error("checkpoint " + checkpoint + " is not of the steganography task");
  }
  opened.manifest = restored.manifest;
  opened.mode = fit_mode(options.get_string("fit", ""), opened.manifest, checkpoint);
  return opened;
}

// The image file a command wrote, read back, as NCHW in [-1, 1].
torch::Tensor written_image(CommandServices& services, const std::string& file,
                            torch::Device device) {
  return images_from_uint8(services.read_image(file).unsqueeze(0)).to(device);
}

}  // namespace

int EmbedCommand::run(const Params& options, CommandServices& services) {
  const std::string out = options.get_string("out", "");
  check_output_format(out, options.get_bool("allow-lossy", false));
  const Opened opened = open(options, services);
  const std::string cover_file = options.get_string("cover", "");
  const auto cover = load_first(services, cover_file, opened.mode, opened.manifest, opened.device);
  check_measurable(cover, "the cover '" + cover_file + "' (--fit " + opened.mode + ")");
  const auto secret = load_at(services, options.get_string("secret", ""), cover.size(2),
                              cover.size(3), "the cover's size", opened.device);
  torch::NoGradGuard no_grad;
  const torch::Tensor stego_pixels = images_to_uint8(opened.task->embed(cover, secret).stego)[0];
  services.write_image(out, stego_pixels);
  std::cout << "wrote " << out << " (" << stego_pixels.size(1) << "x" << stego_pixels.size(0)
            << ", fit " << opened.mode << ")\n";
  // The file read back: what is measured is exactly what was written.
  print_quality("stego vs cover", written_image(services, out, opened.device), cover);
  return 0;
}

int ExtractCommand::run(const Params& options, CommandServices& services) {
  const std::string out = options.get_string("out", "");
  check_output_format(out, options.get_bool("allow-lossy", false));
  const Opened opened = open(options, services);
  const std::string stego_file = options.get_string("stego", "");
  const auto stego = load_first(services, stego_file, opened.mode, opened.manifest, opened.device);
  const std::string reference_file = options.get_string("reference", "");
  if (!reference_file.empty()) {
    check_measurable(stego, "the stego '" + stego_file + "' (--fit " + opened.mode + ")");
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor secret_pixels = images_to_uint8(opened.task->extract(stego))[0];
  services.write_image(out, secret_pixels);
  std::cout << "wrote " << out << " (" << secret_pixels.size(1) << "x" << secret_pixels.size(0)
            << ")\n";
  if (!reference_file.empty()) {
    const auto reference = load_at(services, reference_file, stego.size(2), stego.size(3),
                                   "the stego's size", opened.device);
    print_quality("recovered vs reference", written_image(services, out, opened.device), reference);
  }
  return 0;
}

}  // namespace stegolab::steganography
