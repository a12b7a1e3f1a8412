// minimal_mse: a complete stegolab loss plugin in one file.
//
//   total = cover_weight * MSE(stego, cover) + secret_weight * MSE(recovered, secret)
//
// It shows the three things every plugin provides: a class implementing an
// SDK interface, a PluginInfo describing its parameters (which the host
// validates before the factory runs), and a factory, tied together by one
// STEGOLAB_PLUGIN line.
#include <memory>

#include <stegolab/loss.hpp>
#include <stegolab/plugin.hpp>

namespace minimal_plugin {

class MinimalMseLoss : public stegolab::Loss {
 public:
  MinimalMseLoss(double cover_weight, double secret_weight)
      : cover_weight_(cover_weight), secret_weight_(secret_weight) {}

  // All images in `input`: NCHW float in [-1, 1].
  stegolab::LossValue compute(const stegolab::LossInput& input) override {
    // The steganography task's names (docs/plugins.md, "Writing a task").
    const torch::Tensor concealing =
        (input.tensors.at("stego") - input.tensors.at("cover")).pow(2).mean();
    const torch::Tensor revealing =
        (input.tensors.at("recovered") - input.tensors.at("secret")).pow(2).mean();
    stegolab::LossValue value;
    value.total = cover_weight_ * concealing + secret_weight_ * revealing;
    // Terms stay on the device; the host reads them rarely.
    value.terms = {{"concealing", (cover_weight_ * concealing).detach()},
                   {"revealing", (secret_weight_ * revealing).detach()}};
    return value;
  }

 private:
  double cover_weight_;
  double secret_weight_;
};

// Name and kind are filled in by STEGOLAB_PLUGIN (from its id and interface).
stegolab::PluginInfo info() {
  stegolab::PluginInfo info;
  info.version = "1.0.0";
  info.summary = "cover_weight * MSE(stego, cover) + secret_weight * MSE(recovered, secret)";
  info.params = {
      // name, JSON type, default (nullptr: required), help
      {"cover_weight", "number", 1.0, "weight of the stego-to-cover distance"},
      {"secret_weight", "number", 1.0, "weight of the recovered-to-secret distance"},
  };
  return info;
}

// The host has already rejected unknown keys and wrong JSON types and filled
// in the defaults; the range checks are the plugin's own.
std::shared_ptr<stegolab::Loss> make(const stegolab::Params& params,
                                     const stegolab::BuildContext& /*context*/) {
  return std::make_shared<MinimalMseLoss>(params.get_number_in("cover_weight", 1.0, 0.0, 1e6),
                                          params.get_number_in("secret_weight", 1.0, 0.0, 1e6));
}

}  // namespace minimal_plugin

// At global scope: registers the component "minimal_mse" of kind "loss".
STEGOLAB_PLUGIN(stegolab::Loss, minimal_mse, minimal_plugin::info, minimal_plugin::make)
