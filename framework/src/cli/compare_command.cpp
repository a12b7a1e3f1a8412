// `stegolab compare A.png B.png [--json]`: the full metric set of two images
// on one line.
#include <iostream>

#include <boost/program_options.hpp>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "image_io/image_io.hpp"
#include "metrics/image_comparison.hpp"

namespace stegolab::cli {

namespace {

std::string size_text(const torch::Tensor& hwc) {
  return std::to_string(hwc.size(1)) + "x" + std::to_string(hwc.size(0));
}

}  // namespace

int compare_command(const Arguments& args) {
  namespace po = boost::program_options;
  po::options_description options(
      "usage: stegolab compare A.png B.png [--json]\n"
      "PSNR (RGB; Y studio range as MATLAB's rgb2ycbcr; Y full-range BT.601), SSIM, MS-SSIM,\n"
      "APD, RMSE and the largest difference of two 8-bit images of one size, on the 0-255 "
      "scale\noptions");
  options.add_options()("help,h", "show this help")("json", "print one JSON object instead");
  po::variables_map vm;
  std::vector<std::string> files;
  if (!parse_command_line("compare", args, options, vm, &files)) return 0;
  if (files.size() != 2) {
    throw Error("compare: expected two image files, got " + std::to_string(files.size()));
  }
  const torch::Tensor a = read_image(files[0], &std::cerr);
  const torch::Tensor b = read_image(files[1], &std::cerr);
  if (a.sizes() != b.sizes()) {
    throw Error("compare: '" + files[0] + "' is " + size_text(a) + ", '" + files[1] + "' is " +
                size_text(b) + ": the images must have the same size");
  }
  const auto measures = compare_images(a, b);
  if (vm.count("json") != 0) {
    nlohmann::json out = comparison_json(measures);
    out["a"] = files[0];
    out["b"] = files[1];
    out["width"] = a.size(1);
    out["height"] = a.size(0);
    std::cout << out.dump() << "\n";
  } else {
    std::cout << comparison_line(measures) << "\n";
  }
  return 0;
}

}  // namespace stegolab::cli
