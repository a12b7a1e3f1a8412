// Registration of the `baluja_cnn` model plugin.
#include "baluja_model.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab::baluja_cnn {

namespace {

PluginInfo baluja_cnn_info() {
  PluginInfo info;
  info.name = "baluja_cnn";
  info.version = "1.0.0";
  info.summary =
      "Baluja (NeurIPS 2017): preparation, hiding and reveal CNNs of parallel 3x3/4x4/5x5 "
      "convolutions, in pixel space (a transform section is not used)";
  info.params = {
      {"width", "int", 50, "filters of each of the three parallel convolutions of a layer", 1.0,
       4096.0},
      {"layers", "int", 5, "parallel-convolution layers of each of the three networks", 1.0, 64.0},
  };
  return info;
}

std::shared_ptr<StegoModel> make_baluja_cnn(const Params& params, const BuildContext& context) {
  BalujaOptions options;
  options.width = params.get_int_at_least("width", options.width, 1);
  options.layers = params.get_int_at_least("layers", options.layers, 1);
  options.channels = context.channels;
  // Baluja's networks hide one image; several would need a preparation
  // network per secret, which the paper does not describe.
  if (context.secrets != 1) {
    throw ParamError(params.owner() + ": hides 1 secret per cover, the task asks for " +
                      std::to_string(context.secrets) + " (task.params.secrets)");
  }
  auto model = std::make_shared<BalujaModel>(options);
  model->to(context.device);
  return model;
}

}  // namespace

}  // namespace stegolab::baluja_cnn

STEGOLAB_PLUGIN(stegolab::StegoModel, baluja_cnn, stegolab::baluja_cnn::baluja_cnn_info,
                stegolab::baluja_cnn::make_baluja_cnn)
