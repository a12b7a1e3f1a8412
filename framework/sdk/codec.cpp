#include "stegolab/codec.hpp"

#include "stegolab/errors.hpp"

namespace stegolab {

CodecModel::~CodecModel() = default;

std::shared_ptr<CodecModel> build_codec_model(ComponentBuilder& builder,
                                              const std::string& section,
                                              const BuildContext& context) {
  // Every interface of the kind "model" derives from torch::nn::Module as
  // its one, primary base, so the erased pointer is a valid Module pointer
  // whatever the plugin registered; the dynamic cast then says which.
  const auto module = std::static_pointer_cast<torch::nn::Module>(
      builder.build_erased(section, KindOf<CodecModel>::name, context));
  auto codec = std::dynamic_pointer_cast<CodecModel>(module);
  if (!codec) {
    throw PluginError("model '" + builder.plugin(section) +
                      "' is not a codec model (a CodecModel such as factorized_prior or "
                      "scale_hyperprior)");
  }
  return codec;
}

}  // namespace stegolab
