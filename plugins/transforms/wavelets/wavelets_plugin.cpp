// Registers the four wavelet transforms of this library.
#include <memory>
#include <string>

#include "haar_scheme.hpp"
#include "integer_haar_scheme.hpp"
#include "legall53_scheme.hpp"
#include "separable_wavelet.hpp"
#include "stegolab/plugin.hpp"
#include "stegolab/transform.hpp"

namespace stegolab::wavelets {

namespace {

PluginInfo describe(const std::string& summary) {
  PluginInfo info;
  info.version = "1.0.0";
  info.summary = summary;
  info.params = {{"levels", "int", 1,
                  "decomposition levels (>= 1); each one halves the coefficient grid", 1.0, 16.0}};
  return info;
}

std::shared_ptr<Transform> make(const std::string& name,
                                std::shared_ptr<const LiftingScheme> scheme, const Params& params) {
  const int64_t levels = params.get_int_at_least("levels", 1, 1);
  return std::make_shared<SeparableWavelet>(name, std::move(scheme), static_cast<int>(levels));
}

PluginInfo haar_info() { return describe("orthonormal 2-D Haar DWT (float)"); }
PluginInfo cdf53_info() {
  return describe("LeGall/CDF 5/3 DWT by float lifting, symmetric extension");
}
PluginInfo ilwt_haar_info() {
  return describe("integer Haar (S-transform): integer in, integer out, exactly invertible");
}
PluginInfo ilwt53_info() {
  return describe("integer LeGall 5/3 lifting (JPEG 2000 reversible), exactly invertible");
}

std::shared_ptr<Transform> make_haar(const Params& params, const BuildContext& /*context*/) {
  return make("haar_dwt", std::make_shared<HaarScheme>(), params);
}
std::shared_ptr<Transform> make_cdf53(const Params& params, const BuildContext& /*context*/) {
  return make("cdf53_dwt", std::make_shared<LeGall53Scheme>(false), params);
}
std::shared_ptr<Transform> make_ilwt_haar(const Params& params, const BuildContext& /*context*/) {
  return make("ilwt_haar", std::make_shared<IntegerHaarScheme>(), params);
}
std::shared_ptr<Transform> make_ilwt53(const Params& params, const BuildContext& /*context*/) {
  return make("ilwt53", std::make_shared<LeGall53Scheme>(true), params);
}

}  // namespace

}  // namespace stegolab::wavelets

STEGOLAB_PLUGIN(stegolab::Transform, haar_dwt, stegolab::wavelets::haar_info,
                stegolab::wavelets::make_haar)
STEGOLAB_PLUGIN(stegolab::Transform, cdf53_dwt, stegolab::wavelets::cdf53_info,
                stegolab::wavelets::make_cdf53)
STEGOLAB_PLUGIN(stegolab::Transform, ilwt_haar, stegolab::wavelets::ilwt_haar_info,
                stegolab::wavelets::make_ilwt_haar)
STEGOLAB_PLUGIN(stegolab::Transform, ilwt53, stegolab::wavelets::ilwt53_info,
                stegolab::wavelets::make_ilwt53)
