// Registration of the `rate_distortion` loss plugin.
#include "rate_distortion_loss.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab::rate_distortion {

namespace {

PluginInfo rate_distortion_info() {
  PluginInfo info;
  info.name = "rate_distortion";
  info.version = "1.0.0";
  info.summary =
      "lambda * 255^2 * MSE (or lambda * (1 - MS-SSIM)) + bits per pixel from the likelihoods "
      "(+ auxiliary loss)";
  info.params = {{"lambda", "number", 0.013,
                  "rate-distortion trade-off: for mse CompressAI's qualities 1-8 use 0.0018, "
                  "0.0035, 0.0067, 0.013, 0.025, 0.0483, 0.0932, 0.18; for ms_ssim 2.40, 4.58, "
                  "8.73, 16.64, 31.73, 60.50, 115.37, 220.0",
                  0.0, 1e6},
                 {"distortion", "string", "mse",
                  "mse: lambda * 255^2 * MSE on [0, 1]; ms_ssim: lambda * (1 - MS-SSIM) on [0, 1] "
                  "(CompressAI's convention for both)",
                  std::nullopt, std::nullopt, {"mse", "ms_ssim"}}};
  return info;
}

std::shared_ptr<Loss> make_rate_distortion(const Params& params, const BuildContext& /*context*/) {
  const std::string distortion = params.get_choice("distortion", "mse", {"mse", "ms_ssim"});
  return std::make_shared<RateDistortionLoss>(
      params.get_number_in("lambda", 0.013, 0.0, 1e6),
      distortion == "ms_ssim" ? Distortion::ms_ssim : Distortion::mse);
}

}  // namespace

}  // namespace stegolab::rate_distortion

STEGOLAB_PLUGIN(stegolab::Loss, rate_distortion, stegolab::rate_distortion::rate_distortion_info,
                stegolab::rate_distortion::make_rate_distortion)
