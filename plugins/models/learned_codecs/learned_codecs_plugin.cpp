// Registration of the learned image codecs factorized_prior and
// scale_hyperprior (Ballé et al. 2018, CompressAI's bmshj2018-*).
#include "factorized_prior.hpp"
#include "scale_hyperprior.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab::learned_codecs {

namespace {

std::vector<ParamDoc> codec_params(int64_t m) {
  return {{"n", "int", 128, "hidden channels N of the transforms", 1.0, 4096.0},
          {"m", "int", m, "latent channels M (of y)", 1.0, 4096.0},
          {"aux_learning_rate", "number", 1e-3,
           "learning rate of the entropy bottleneck's quantiles (their own parameter group; "
           "the trial's schedule scales it like train.optimizer.lr)",
           1e-12, 10.0}};
}

TransformWidths widths_of(const Params& params, const BuildContext& context, int64_t m) {
  TransformWidths widths;
  widths.image_channels = context.channels;
  widths.n = params.get_int_at_least("n", 128, 1);
  widths.m = params.get_int_at_least("m", m, 1);
  return widths;
}

PluginInfo codec_info(const char* name, const char* summary) {
  PluginInfo info;
  info.name = name;
  info.version = "1.0.0";
  info.summary = summary;
  info.params = codec_params(192);
  return info;
}

PluginInfo factorized_info() {
  return codec_info("factorized_prior",
                    "bmshj2018-factorized codec: 5x5 stride-2 convolutions with GDN, factorized "
                    "entropy bottleneck (for the compression task)");
}

PluginInfo hyperprior_info() {
  return codec_info("scale_hyperprior",
                    "bmshj2018-hyperprior codec: GDN transforms, Gaussian conditional with "
                    "scales from a hyperprior (for the compression task)");
}

std::shared_ptr<CodecModel> make_factorized(const Params& params, const BuildContext& context) {
  return std::make_shared<FactorizedPrior>(widths_of(params, context, 192),
                                           params.get_number_in("aux_learning_rate", 1e-3, 1e-12, 10.0));
}

std::shared_ptr<CodecModel> make_hyperprior(const Params& params, const BuildContext& context) {
  return std::make_shared<ScaleHyperprior>(widths_of(params, context, 192),
                                           params.get_number_in("aux_learning_rate", 1e-3, 1e-12, 10.0));
}

}  // namespace

}  // namespace stegolab::learned_codecs

STEGOLAB_PLUGIN(stegolab::CodecModel, factorized_prior, stegolab::learned_codecs::factorized_info,
                stegolab::learned_codecs::make_factorized)
STEGOLAB_PLUGIN(stegolab::CodecModel, scale_hyperprior, stegolab::learned_codecs::hyperprior_info,
                stegolab::learned_codecs::make_hyperprior)
