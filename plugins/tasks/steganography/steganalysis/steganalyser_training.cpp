#include "steganalyser_training.hpp"

#include <torch/torch.h>

#include "stegolab/errors.hpp"

namespace stegolab::steganography {

namespace {

// uint8 NHWC -> float NCHW on the 0-255 scale.
torch::Tensor network_input(const torch::Tensor& pixels) {
  return pixels.permute({0, 3, 1, 2}).to(torch::kFloat32).contiguous();
}

void check_pairs(const torch::Tensor& covers, const torch::Tensor& stegos) {
  const bool images = covers.defined() && stegos.defined() && covers.dim() == 4 &&
                      covers.scalar_type() == torch::kUInt8 &&
                      stegos.scalar_type() == torch::kUInt8;
  if (!images || covers.sizes() != stegos.sizes() || covers.size(0) == 0) {
    throw Error("steganalysis: training needs as many uint8 [N, H, W, C] stego images as "
                "covers, of one shape, N > 0; got " +
                (covers.defined() ? c10::str(covers.sizes()) : std::string("none")) + " and " +
                (stegos.defined() ? c10::str(stegos.sizes()) : std::string("none")));
  }
}

struct EpochTotals {
  double loss = 0;
  double right = 0;
  double images = 0;
};

void train_epoch(XuNet& network, torch::optim::Optimizer& optimizer, const torch::Tensor& covers,
                 const torch::Tensor& stegos, int64_t pairs_per_batch, EpochTotals& totals) {
  const torch::Tensor order = torch::randperm(covers.size(0), torch::kInt64);
  for (int64_t first = 0; first < order.size(0); first += pairs_per_batch) {
    const torch::Tensor pick = order.slice(0, first, first + pairs_per_batch);
    const int64_t n = pick.size(0);
    const torch::Tensor input =
        network_input(torch::cat({covers.index_select(0, pick), stegos.index_select(0, pick)}));
    const torch::Tensor labels =
        torch::cat({torch::zeros({n}, torch::kInt64), torch::ones({n}, torch::kInt64)});
    optimizer.zero_grad();
    const torch::Tensor logits = network->forward(input);
    const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, labels);
    loss.backward();
    optimizer.step();
    totals.loss += loss.item<double>() * 2 * n;
    totals.right += logits.argmax(1).eq(labels).sum().item<double>();
    totals.images += 2 * n;
  }
}

}  // namespace

XuNet train_steganalyser(const torch::Tensor& covers, const torch::Tensor& stegos,
                         const SteganalyserOptions& options, const EpochReport& report) {
  check_pairs(covers, stegos);
  torch::manual_seed(options.seed);
  XuNet network(covers.size(3));
  torch::optim::Adam optimizer(network->parameters(),
                               torch::optim::AdamOptions(options.learning_rate));
  network->train();
  const torch::Tensor cpu_covers = covers.cpu();
  const torch::Tensor cpu_stegos = stegos.cpu();
  for (int64_t epoch = 1; epoch <= options.epochs; ++epoch) {
    EpochTotals totals;
    train_epoch(network, optimizer, cpu_covers, cpu_stegos,
                std::max<int64_t>(1, options.pairs_per_batch), totals);
    if (report && totals.images > 0) {
      report(epoch, totals.loss / totals.images, totals.right / totals.images);
    }
  }
  network->eval();
  return network;
}

std::vector<double> steganalyser_scores(XuNet& network, const torch::Tensor& pixels,
                                        int64_t batch_size) {
  torch::NoGradGuard no_grad;
  network->eval();
  std::vector<double> scores;
  scores.reserve(static_cast<size_t>(pixels.size(0)));
  for (int64_t first = 0; first < pixels.size(0); first += batch_size) {
    const torch::Tensor logits =
        network->forward(network_input(pixels.slice(0, first, first + batch_size).cpu()));
    const torch::Tensor margin = (logits.select(1, 1) - logits.select(1, 0)).to(torch::kFloat64);
    const double* values = margin.contiguous().data_ptr<double>();
    scores.insert(scores.end(), values, values + margin.size(0));
  }
  return scores;
}

}  // namespace stegolab::steganography
