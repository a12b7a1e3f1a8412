// `stegolab embed` and `stegolab extract`: hide secret images in a cover with
// a trained checkpoint, and recover them from the stego image. A checkpoint
// trained with k secrets takes k files, comma-separated, and extract writes k.
#include "steganography_commands.hpp"

#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <vector>

#include <torch/torch.h>

#include "image_fitting.hpp"
#include "output_format.hpp"
#include "quality_report.hpp"
#include "secret_images.hpp"
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

// "a.png,b.png" -> its k file names; throws unless there are exactly k.
std::vector<std::string> file_list(const std::string& option, const std::string& text,
                                   int64_t count) {
  std::vector<std::string> files;
  std::stringstream stream(text);
  for (std::string file; std::getline(stream, file, ',');) files.push_back(file);
  if (static_cast<int64_t>(files.size()) != count) {
    throw Error("--" + option + ": the checkpoint hides " + std::to_string(count) +
                " secret(s) per cover, give as many files, comma-separated; got '" + text + "'");
  }
  return files;
}

// Where extract writes secret j of k: `out` itself for one, else out_j.ext.
std::string numbered_file(const std::string& out, int64_t j, int64_t count) {
  if (count == 1) return out;
  const std::filesystem::path path(out);
  return (path.parent_path() /
          (path.stem().string() + "_" + std::to_string(j + 1) + path.extension().string()))
      .string();
}

}  // namespace

int EmbedCommand::run(const Params& options, CommandServices& services) {
  const std::string out = options.get_string("out", "");
  check_output_format(out, options.get_bool("allow-lossy", false));
  const Opened opened = open(options, services);
  const std::string cover_file = options.get_string("cover", "");
  const auto cover = load_first(services, cover_file, opened.mode, opened.manifest, opened.device);
  check_measurable(cover, "the cover '" + cover_file + "' (--fit " + opened.mode + ")");
  const int64_t secrets = opened.task->settings().secrets;
  std::vector<torch::Tensor> secret_images;
  for (const std::string& file : file_list("secret", options.get_string("secret", ""), secrets)) {
    secret_images.push_back(
        load_at(services, file, cover.size(2), cover.size(3), "the cover's size", opened.device));
  }
  const torch::Tensor secret = torch::cat(secret_images, 1);
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
  const int64_t secrets = opened.task->settings().secrets;
  const std::vector<std::string> references =
      reference_file.empty() ? std::vector<std::string>{}
                             : file_list("reference", reference_file, secrets);
  torch::NoGradGuard no_grad;
  const std::vector<torch::Tensor> recovered = each_secret(opened.task->extract(stego), secrets);
  for (int64_t j = 0; j < secrets; ++j) {
    const std::string file = numbered_file(out, j, secrets);
    const torch::Tensor secret_pixels = images_to_uint8(recovered[j])[0];
    services.write_image(file, secret_pixels);
    std::cout << "wrote " << file << " (" << secret_pixels.size(1) << "x"
              << secret_pixels.size(0) << ")\n";
    if (references.empty()) continue;
    const auto reference = load_at(services, references[j], stego.size(2), stego.size(3),
                                   "the stego's size", opened.device);
    print_quality("recovered vs reference", written_image(services, file, opened.device),
                  reference);
  }
  return 0;
}

}  // namespace stegolab::steganography
