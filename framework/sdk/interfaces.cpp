// Key functions of the SDK interfaces: their vtables and typeinfo live here,
// once, so the host and every plugin agree on each type's identity.
#include "stegolab/dataset.hpp"
#include "stegolab/loss.hpp"
#include "stegolab/model.hpp"
#include "stegolab/strategy.hpp"
#include "stegolab/transform.hpp"

namespace stegolab {

Transform::~Transform() = default;
StegoModel::~StegoModel() = default;
Loss::~Loss() = default;
Strategy::~Strategy() = default;
ImageSource::~ImageSource() = default;

torch::Tensor Loss::perturb(const torch::Tensor& stego, const TrainingProgress& /*progress*/) {
  return stego;
}

}  // namespace stegolab
