// Registration of the `stego_loss` loss plugin.
#include "stego_loss.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab::stego_loss {

namespace {

// What an experiment file that still sets perturb_start, perturb_end or
// noise_std writes instead (the same training, exactly: docs/plugins.md, API 7).
constexpr const char* kChannelMoved =
    "the 8-bit/noise curriculum is the task's training channel now: write task.params."
    "train_attacks [{\"chain\": [{\"plugin\": \"quantize8\"}, {\"plugin\": "
    "\"gaussian_noise\", \"params\": {\"sigma\": 127.5 * noise_std}}]}] (without noise_std: "
    "[{\"plugin\": \"quantize8\"}]) and task.params.train_attack_probability {\"start\": "
    "perturb_start, \"end\": perturb_end}; with both probabilities 0 delete them "
    "(docs/experiments.md, Attacks)";

PluginInfo stego_loss_info() {
  PluginInfo info;
  info.name = "stego_loss";
  info.version = "1.0.0";
  info.summary = "hiding MSE (ramped), recovery MSE/SSIM, edge, TV and wavelet terms";
  info.params = {
      {"hide_start", "number", 2.0, "hiding MSE weight at the start of training", 0.0, 1e6},
      {"hide_end", "number", 24.0, "hiding MSE weight after the ramp", 0.0, 1e6},
      {"hide_ramp", "number", 0.7, "fraction of training over which the hiding weight ramps", 0.0,
       1.0},
      {"rec_mse", "number", 3.0, "recovery MSE weight", 0.0, 1e6},
      {"rec_ssim", "number", 5.0, "recovery 1-SSIM weight", 0.0, 1e6},
      {"edge", "number", 0.0, "gradient-difference weight (recovered vs secret)", 0.0, 1e6},
      {"tv", "number", 0.0, "total variation weight of the residual stego - cover", 0.0, 1e6},
      {"wavelet", "number", 0.0, "multi-scale wavelet loss weight (recovered vs secret)", 0.0, 1e6},
      {"low_freq", "number", 0.0, "LL-band hiding MSE weight (stego vs cover)", 0.0, 1e6},
  };
  // API 7: the 8-bit/noise curriculum is the task's training channel.
  for (const char* name : {"perturb_start", "perturb_end", "noise_std"})
    info.retired_params.push_back({name, kChannelMoved});
  return info;
}

std::shared_ptr<Loss> make_stego_loss(const Params& params, const BuildContext& context) {
  StegoLossWeights w;
  const double big = 1e6;
  w.hide_start = params.get_number_in("hide_start", w.hide_start, 0.0, big);
  w.hide_end = params.get_number_in("hide_end", w.hide_end, 0.0, big);
  w.hide_ramp = params.get_number_in("hide_ramp", w.hide_ramp, 0.0, 1.0);
  w.rec_mse = params.get_number_in("rec_mse", w.rec_mse, 0.0, big);
  w.rec_ssim = params.get_number_in("rec_ssim", w.rec_ssim, 0.0, big);
  w.edge = params.get_number_in("edge", w.edge, 0.0, big);
  w.tv = params.get_number_in("tv", w.tv, 0.0, big);
  w.wavelet = params.get_number_in("wavelet", w.wavelet, 0.0, big);
  w.low_freq = params.get_number_in("low_freq", w.low_freq, 0.0, big);
  return std::make_shared<StegoLoss>(w, context.transform);
}

}  // namespace

}  // namespace stegolab::stego_loss

STEGOLAB_PLUGIN(stegolab::Loss, stego_loss, stegolab::stego_loss::stego_loss_info,
                stegolab::stego_loss::make_stego_loss)
