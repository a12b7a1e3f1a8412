#include "stego_image_sets.hpp"

#include <vector>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "../secret_images.hpp"
#include "../steganography_task.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::steganography {

namespace {

// The task's 8-bit stego of one batch of covers (uint8 NHWC on the device).
torch::Tensor task_stego(SteganographyTask& task, ImageSource& source, const TensorMap& samples,
                         const torch::Tensor& cover, int64_t first, int64_t last,
                         torch::Device device) {
  std::vector<torch::Tensor> secret_images;
  for (const std::string& name : secret_names(task.settings().secrets)) {
    secret_images.push_back(
        images_from_uint8(source.load(samples.at(name).slice(0, first, last), device, false)));
  }
  return images_to_uint8(
      task.embed(images_from_uint8(cover), torch::cat(secret_images, 1)).stego);
}

}  // namespace

StegoControl parse_stego_control(const std::string& text, const std::string& option) {
  if (text == "none") return StegoControl::task;
  if (text == "lsb") return StegoControl::lsb;
  if (text == "identical") return StegoControl::identical;
  throw Error(option + ": expected none, lsb or identical, got '" + text + "'");
}

StegoImageSets stego_image_sets(SteganographyTask& task, ImageSource& source,
                                const std::string& split_name, const torch::Tensor& split,
                                int64_t max_images, int64_t batch_size, torch::Device device,
                                StegoControl control, uint64_t seed) {
  const TensorMap samples = task.evaluation_samples_of(split_name, split);
  const torch::Tensor& covers = samples.at("cover");
  const int64_t count =
      max_images > 0 ? std::min<int64_t>(max_images, covers.size(0)) : covers.size(0);
  std::vector<torch::Tensor> cover_pixels, stego_pixels;
  torch::NoGradGuard no_grad;
  at::Generator bits = at::detail::createCPUGenerator(seed);
  for (int64_t first = 0; first < count; first += batch_size) {
    const int64_t last = std::min(count, first + batch_size);
    const torch::Tensor cover = source.load(covers.slice(0, first, last), device, false).cpu();
    torch::Tensor stego;
    if (control == StegoControl::task) {
      stego = task_stego(task, source, samples, cover.to(device), first, last, device).cpu();
    } else if (control == StegoControl::lsb) {
      stego = cover.bitwise_and(254).bitwise_or(
          torch::randint(0, 2, cover.sizes(), bits, torch::kUInt8));
    } else {
      stego = cover.clone();
    }
    cover_pixels.push_back(cover);
    stego_pixels.push_back(stego);
  }
  if (cover_pixels.empty()) return {};
  return {torch::cat(cover_pixels), torch::cat(stego_pixels)};
}

}  // namespace stegolab::steganography
