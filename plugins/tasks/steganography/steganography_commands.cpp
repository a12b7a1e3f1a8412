// `stegolab embed` and `stegolab extract`: hide a secret image in a cover with
// a trained checkpoint, and recover it from the stego image.
#include "steganography_commands.hpp"

#include <iostream>
#include <memory>

#include <torch/torch.h>

#include "image_fitting.hpp"
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

}  // namespace

int EmbedCommand::run(const Params& options, CommandServices& services) {
  const Opened opened = open(options, services);
  const std::string out = options.get_string("out", "");
  const auto cover = load_first(services, options.get_string("cover", ""), opened.mode,
                                opened.manifest, opened.device);
  const auto secret = load_at(services, options.get_string("secret", ""), cover.size(2),
                              cover.size(3), "the cover's size", opened.device);
  torch::NoGradGuard no_grad;
  // Quantised to 8 bits: what is measured is exactly what is written.
  const torch::Tensor stego_pixels = images_to_uint8(opened.task->embed(cover, secret).stego)[0];
  services.write_image(out, stego_pixels);
  std::cout << "wrote " << out << " (" << stego_pixels.size(1) << "x" << stego_pixels.size(0)
            << ", fit " << opened.mode << ")\n";
  print_quality("stego vs cover", images_from_uint8(stego_pixels.unsqueeze(0)).to(opened.device),
                cover);
  return 0;
}

int ExtractCommand::run(const Params& options, CommandServices& services) {
  const Opened opened = open(options, services);
  const std::string out = options.get_string("out", "");
  const auto stego = load_first(services, options.get_string("stego", ""), opened.mode,
                                opened.manifest, opened.device);
  torch::NoGradGuard no_grad;
  const torch::Tensor secret_pixels = images_to_uint8(opened.task->extract(stego))[0];
  services.write_image(out, secret_pixels);
  std::cout << "wrote " << out << " (" << secret_pixels.size(1) << "x" << secret_pixels.size(0)
            << ")\n";
  const std::string reference_file = options.get_string("reference", "");
  if (!reference_file.empty()) {
    const auto reference = load_at(services, reference_file, stego.size(2), stego.size(3),
                                   "the stego's size", opened.device);
    print_quality("recovered vs reference",
                  images_from_uint8(secret_pixels.unsqueeze(0)).to(opened.device), reference);
  }
  return 0;
}

}  // namespace stegolab::steganography
