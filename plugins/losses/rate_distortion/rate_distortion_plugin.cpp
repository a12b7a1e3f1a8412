// Registration of the `rate_distortion` loss plugin.
#include "rate_distortion_loss.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab::rate_distortion {

namespace {

PluginInfo rate_distortion_info() {
  PluginInfo info;
  info.name = "rate_distortion";
  info.version = "1.0.0";
  info.summary = "lambda * 255^2 * MSE + bits per pixel from the likelihoods (+ auxiliary loss)";
  info.params = {{"lambda", "number", 0.013,
                  "rate-distortion trade-off: CompressAI's qualities 1-8 use 0.0018, 0.0035, "
                  "0.0067, 0.013, 0.025, 0.0483, 0.0932, 0.18",
                  0.0, 1e6},
                 {"distortion", "string", "mse",
                  "the distortion measure (MS-SSIM is not offered yet)", std::nullopt,
                  std::nullopt, {"mse"}}};
  return info;
}

std::shared_ptr<Loss> make_rate_distortion(const Params& params, const BuildContext& /*context*/) {
  params.get_choice("distortion", "mse", {"mse"});
  return std::make_shared<RateDistortionLoss>(params.get_number_in("lambda", 0.013, 0.0, 1e6));
}

}  // namespace

}  // namespace stegolab::rate_distortion

STEGOLAB_PLUGIN(stegolab::Loss, rate_distortion, stegolab::rate_distortion::rate_distortion_info,
                stegolab::rate_distortion::make_rate_distortion)
