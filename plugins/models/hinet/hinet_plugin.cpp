// Registration of the `hinet` model plugin.
#include "hinet_model.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab::hinet {

namespace {

PluginInfo hinet_info() {
  PluginInfo info;
  info.name = "hinet";
  info.version = "1.0.0";
  info.summary =
      "HiNet (Jing et al., ICCV 2021): affine couplings with dense-block subnets over one-level "
      "wavelet bands";
  info.params = {
      {"blocks", "int", 16, "number of invertible blocks", 1.0, 1024.0},
      {"growth", "int", 32, "channels of each dense layer of the coupling subnets", 1.0, 4096.0},
      {"clamp", "number", 2.0, "bound c of the coupling log-scale c*(2*sigmoid(.)-1)", 1e-3, 20.0},
      {"lost",
       "string",
       "zeros",
       "extraction prior for the lost half: \"zeros\" or \"gaussian\" (the paper's)",
       std::nullopt,
       std::nullopt,
       {"zeros", "gaussian"}},
  };
  return info;
}

std::shared_ptr<StegoModel> make_hinet(const Params& params, const BuildContext& context) {
  HinetOptions options;
  options.blocks = params.get_int_at_least("blocks", options.blocks, 1);
  options.growth = params.get_int_at_least("growth", options.growth, 1);
  options.clamp = params.get_number_in("clamp", options.clamp, 1e-3, 20.0);
  options.lost = params.get_choice("lost", options.lost, {"zeros", "gaussian"});
  options.channels = context.channels;
  options.secrets = context.secrets;
  auto model = std::make_shared<HinetModel>(options, context.transform);
  model->to(context.device);
  return model;
}

}  // namespace

}  // namespace stegolab::hinet

STEGOLAB_PLUGIN(stegolab::StegoModel, hinet, stegolab::hinet::hinet_info,
                stegolab::hinet::make_hinet)
