#include "trainer/data_parallel_trial.hpp"

#include <cmath>

#include <torch/torch.h>

#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

// The rows `index` of every list.
TensorMap rows_of(const TensorMap& samples, const torch::Tensor& index) {
  TensorMap share;
  for (const auto& [name, list] : samples.entries()) {
    share.set(name, list.index_select(0, index.to(list.device())));
  }
  return share;
}

int64_t row_count(const TensorMap& samples) {
  return samples.empty() ? 0 : samples.entries().front().second.size(0);
}

}  // namespace

int64_t DataParallelTrial::rank_batch(int64_t global_batch) const {
  if (global_batch % world() != 0) {
    throw Error("train.batch_size " + std::to_string(global_batch) + " cannot be shared by " +
                std::to_string(world()) +
                " data-parallel ranks: it must be a multiple of the rank count");
  }
  return global_batch / world();
}

bool DataParallelTrial::any_rank(bool flag) {
  torch::Tensor count = torch::tensor({flag ? 1.0F : 0.0F});
  group_.sum(count);
  return count.item<float>() > 0.0F;
}

void DataParallelTrial::attach(const TrialComponents& components) {
  std::vector<torch::Tensor> state, parameters;
  for (const auto& [name, module] : components.modules) {
    for (const auto& parameter : module->parameters()) {
      state.push_back(parameter);
      parameters.push_back(parameter);
    }
    for (const auto& buffer : module->buffers()) state.push_back(buffer);
  }
  group_.broadcast_from_leader(state);
  reducer_ = std::make_unique<GradientReducer>(parameters, group_);
}

TensorMap DataParallelTrial::training_share(const TensorMap& samples, int64_t global_batch) const {
  const int64_t share = rank_batch(global_batch);
  const int64_t batches = row_count(samples) / global_batch;
  // Row b * global_batch + rank * share + j of every whole batch b.
  const torch::Tensor index =
      (torch::arange(batches, torch::kLong).unsqueeze(1) * global_batch + group_.rank() * share +
       torch::arange(share, torch::kLong).unsqueeze(0))
          .reshape({-1});
  return rows_of(samples, index);
}

TensorMap DataParallelTrial::evaluation_share(const TensorMap& samples) const {
  const int64_t rows = row_count(samples);
  const int64_t block = (rows + world() - 1) / world();
  const int64_t begin = std::min(rows, group_.rank() * block);
  const int64_t end = std::min(rows, begin + block);
  return rows_of(samples, torch::arange(begin, end, torch::kLong));
}

LossFunction DataParallelTrial::synchronised(LossFunction loss, int64_t micro_batches) {
  auto calls = std::make_shared<int64_t>(0);
  return [this, loss = std::move(loss), micro_batches, calls](const MicroBatch& batch) {
    LossValue value = loss(batch);
    std::vector<torch::Tensor> parts{value.total.detach().to(torch::kFloat).reshape({1})};
    for (const auto& [name, term] : value.terms) {
      parts.push_back(term.detach().to(torch::kFloat).reshape({1}));
    }
    torch::Tensor means = torch::cat(parts);
    group_.sum(means);
    means.div_(world());
    // The value becomes the mean over all ranks; the gradient stays this
    // rank's, which the reducer averages.
    const torch::Tensor local = value.total.detach();
    value.total = value.total + (means[0].to(local.dtype()) - local);
    for (std::size_t i = 0; i < value.terms.size(); ++i) {
      value.terms[i].second = means[static_cast<int64_t>(i) + 1];
    }
    if (++*calls == micro_batches) reducer_->expect_backward();
    return value;
  };
}

std::vector<std::pair<std::string, double>> DataParallelTrial::mean_over_ranks(
    const std::vector<std::pair<std::string, double>>& means, int64_t samples,
    int64_t& all_samples) {
  std::vector<double> weighted{static_cast<double>(samples)};
  for (const auto& [name, value] : means) {
    weighted.push_back(samples > 0 ? value * static_cast<double>(samples) : 0.0);
  }
  torch::Tensor sums = torch::tensor(weighted, torch::kDouble);
  group_.sum(sums);
  const double total = sums[0].item<double>();
  all_samples = static_cast<int64_t>(std::llround(total));
  std::vector<std::pair<std::string, double>> reduced;
  for (std::size_t i = 0; i < means.size(); ++i) {
    reduced.emplace_back(means[i].first, sums[static_cast<int64_t>(i) + 1].item<double>() / total);
  }
  return reduced;
}

}  // namespace stegolab
