// Registration of the `star_inn` model plugin.
#include "star_inn_model.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab::star_inn {

namespace {

PluginInfo star_inn_info() {
  PluginInfo info;
  info.name = "star_inn";
  info.version = "1.0.0";
  info.summary = "invertible network (ActNorm, 1x1 conv, affine coupling) over wavelet bands";
  info.params = {
      {"blocks", "int", 8, "number of invertible blocks", 1.0, 1024.0},
      {"hidden", "int", 128, "channels of the coupling subnets' hidden layers", 1.0, 65536.0},
      {"clamp", "number", 2.0, "bound c of the coupling log-scale c*tanh(.)", 1e-3, 20.0},
      {"lost",
       "string",
       "zeros",
       "extraction prior for the lost half: \"zeros\" or \"gaussian\"",
       std::nullopt,
       std::nullopt,
       {"zeros", "gaussian"}},
      {"composition",
       "string",
       "bands",
       "\"bands\" (stego = inverse transform of the cover half) or \"ycbcr_residual\" "
       "(approximately invertible)",
       std::nullopt,
       std::nullopt,
       {"bands", "ycbcr_residual"}},
      {"k_y", "number", 0.02, "ycbcr_residual: scale of the residual on luma", 0.0, 1.0},
      {"k_c", "number", 0.06, "ycbcr_residual: scale of the residual on chroma", 0.0, 1.0},
      {"memory",
       "string",
       "standard",
       "\"standard\" (store activations) or \"recompute\" (rebuild them through the inverse in "
       "backward)",
       std::nullopt,
       std::nullopt,
       {"standard", "recompute"}},
      {"subnets",
       "string",
       "auto",
       "how the fused rho/eta subnets of a coupling run, with the same results: \"grouped\" "
       "(grouped convolutions), \"separate\" (one convolution per subnet) or \"auto\" "
       "(separate on the CPU, where grouped convolutions are slower; grouped on CUDA)",
       std::nullopt,
       std::nullopt,
       {"auto", "grouped", "separate"}},
  };
  return info;
}

// "auto": oneDNN's grouped convolutions took about twice as long as two
// separate ones on the CPU (docs/performance.md).
SubnetExecution subnet_execution(const std::string& choice, const torch::Device& device) {
  if (choice == "grouped") return SubnetExecution::grouped;
  if (choice == "separate") return SubnetExecution::separate;
  return device.is_cuda() ? SubnetExecution::grouped : SubnetExecution::separate;
}

std::shared_ptr<StegoModel> make_star_inn(const Params& params, const BuildContext& context) {
  StarInnOptions options;
  options.blocks = params.get_int_at_least("blocks", options.blocks, 1);
  options.hidden = params.get_int_at_least("hidden", options.hidden, 1);
  options.clamp = params.get_number_in("clamp", options.clamp, 1e-3, 20.0);
  options.lost = params.get_choice("lost", options.lost, {"zeros", "gaussian"});
  options.composition =
      params.get_choice("composition", options.composition, {"bands", "ycbcr_residual"});
  options.k_y = params.get_number_in("k_y", options.k_y, 0.0, 1.0);
  options.k_c = params.get_number_in("k_c", options.k_c, 0.0, 1.0);
  options.memory = params.get_choice("memory", options.memory, {"standard", "recompute"});
  options.subnets = subnet_execution(
      params.get_choice("subnets", "auto", {"auto", "grouped", "separate"}), context.device);
  options.channels = context.channels;
  options.secrets = context.secrets;
  if (!context.transform) {
    throw PluginError(params.owner() + ": needs a transform (BuildContext::transform is empty)");
  }
  auto model = std::make_shared<StarInnModel>(options, context.transform);
  model->to(context.device);
  return model;
}

}  // namespace

}  // namespace stegolab::star_inn

STEGOLAB_PLUGIN(stegolab::StegoModel, star_inn, stegolab::star_inn::star_inn_info,
                stegolab::star_inn::make_star_inn)
