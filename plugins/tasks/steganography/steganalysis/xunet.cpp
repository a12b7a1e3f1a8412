#include "xunet.hpp"

namespace stegolab::steganography {

namespace {

constexpr int64_t kWidths[5] = {8, 16, 32, 64, 128};
constexpr int64_t kKernels[5] = {5, 5, 1, 1, 1};

// Ker and Vasiliev's 5x5 kernel as the steganalysis literature uses it:
// the residual of a pixel against its neighbourhood's quadratic prediction.
torch::Tensor kv_kernel() {
  const float values[25] = {-1, 2,  -2, 2,  -1,  //
                            2,  -6, 8,  -6, 2,   //
                            -2, 8,  -12, 8, -2,  //
                            2,  -6, 8,  -6, 2,   //
                            -1, 2,  -2, 2,  -1};
  return torch::from_blob(const_cast<float*>(values), {1, 1, 5, 5}, torch::kFloat32).clone() / 12.0;
}

torch::nn::Conv2d convolution(int64_t in, int64_t out, int64_t kernel) {
  return torch::nn::Conv2d(
      torch::nn::Conv2dOptions(in, out, kernel).padding(kernel / 2).bias(false));
}

torch::Tensor pool(const torch::Tensor& x) {
  return torch::avg_pool2d(x, /*kernel_size=*/5, /*stride=*/2, /*padding=*/2);
}

}  // namespace

int64_t xunet_parameter_count(int64_t channels) {
  int64_t count = 0;
  int64_t in = channels;
  for (int i = 0; i < 5; ++i) {
    count += in * kWidths[i] * kKernels[i] * kKernels[i];  // convolution weights
    count += 2 * kWidths[i];                                // normalisation scale and shift
    in = kWidths[i];
  }
  return count + in * 2 + 2;  // the linear layer
}

XuNetImpl::XuNetImpl(int64_t channels) : channels_(channels) {
  high_pass_ = register_buffer("high_pass", kv_kernel().repeat({channels, 1, 1, 1}));
  torch::nn::Conv2d* convs[5] = {&conv1_, &conv2_, &conv3_, &conv4_, &conv5_};
  torch::nn::BatchNorm2d* norms[5] = {&norm1_, &norm2_, &norm3_, &norm4_, &norm5_};
  int64_t in = channels;
  for (int i = 0; i < 5; ++i) {
    *convs[i] = register_module("conv" + std::to_string(i + 1),
                                convolution(in, kWidths[i], kKernels[i]));
    *norms[i] = register_module("norm" + std::to_string(i + 1),
                                torch::nn::BatchNorm2d(kWidths[i]));
    in = kWidths[i];
  }
  classifier_ = register_module("classifier", torch::nn::Linear(in, 2));
}

torch::Tensor XuNetImpl::forward(const torch::Tensor& pixels) {
  // Each channel filtered alone (groups = channels), as the paper does on gray.
  namespace F = torch::nn::functional;
  torch::Tensor x =
      F::conv2d(pixels, high_pass_, F::Conv2dFuncOptions().padding(2).groups(channels_));
  x = pool(torch::tanh(norm1_(conv1_(x).abs())));
  x = pool(torch::tanh(norm2_(conv2_(x))));
  x = pool(torch::relu(norm3_(conv3_(x))));
  x = pool(torch::relu(norm4_(conv4_(x))));
  x = torch::relu(norm5_(conv5_(x))).mean({2, 3});
  return classifier_(x);
}

}  // namespace stegolab::steganography
