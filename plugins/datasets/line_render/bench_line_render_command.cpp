// `stegolab bench line_render`: images/s of the batched line-chart drawing
// against the same drawing one image at a time, on random-walk sequences (or
// a file's), and the largest pixel difference between the two.
#include <algorithm>
#include <chrono>
#include <functional>
#include <iomanip>
#include <iostream>
#include <memory>

#include <torch/torch.h>

#include "line_drawing.hpp"
#include "line_style_params.hpp"
#include "sequence_file.hpp"
#include "stegolab/command.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab {
namespace {

double seconds_of(const std::function<void()>& work, torch::Device device) {
  const auto begin = std::chrono::steady_clock::now();
  work();
  if (device.is_cuda()) torch::cuda::synchronize();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

class BenchLineRender : public Command {
 public:
  int run(const Params& options, CommandServices& services) override {
    const torch::Device device = services.device(options.get_string("device", "cpu"));
    const int64_t threads = options.get_int_at_least("threads", 0, 0);
    if (threads > 0) torch::set_num_threads(static_cast<int>(threads));
    const LineStyle style = line_style_from(options);
    const int64_t batch = options.get_int_at_least("batch", 100, 1);
    const std::string path = options.get_string("path", "");
    // Random walks, seeded: charts with the ups and downs of a real series.
    torch::manual_seed(static_cast<uint64_t>(options.get_int("seed", 1)));
    const torch::Tensor sequences =
        path.empty() ? torch::randn({options.get_int_at_least("sequences", 1000, 1),
                                     options.get_int_at_least("length", 100, 2)})
                           .cumsum(1)
                     : read_sequences("bench line_render", path);
    const int64_t count = sequences.size(0);
    std::cout << "bench line_render: " << count << " sequences of length " << sequences.size(1)
              << " into " << style.width << "x" << style.height << " images, line width "
              << style.line_width << ", device " << device.str() << ", " << torch::get_num_threads()
              << " threads\n";
    // Warm-up: thread pools, allocator, CUDA context.
    render_lines(sequences.narrow(0, 0, std::min<int64_t>(2, count)).to(device), style).cpu();

    torch::Tensor batched = torch::empty({count, style.height, style.width, 3}, torch::kByte);
    const double batched_s = seconds_of(
        [&] {
          for (int64_t begin = 0; begin < count; begin += batch) {
            const int64_t n = std::min(batch, count - begin);
            // One transfer of sequences to the device and one of pixels back, per batch.
            batched.narrow(0, begin, n)
                .copy_(render_lines(sequences.narrow(0, begin, n).to(device), style).cpu());
          }
        },
        device);
    torch::Tensor single;
    const double single_s =
        seconds_of([&] { single = render_lines_one_by_one(sequences.to(device), style); }, device);
    // In parts: as int32, a thousand 800x500 charts would take gigabytes per temporary.
    int64_t difference = 0;
    for (int64_t begin = 0; begin < count; begin += batch) {
      const int64_t n = std::min(batch, count - begin);
      const torch::Tensor a = batched.narrow(0, begin, n).to(torch::kShort);
      const torch::Tensor b = single.narrow(0, begin, n).to(torch::kShort);
      difference = std::max(difference, (a - b).abs().max().item<int64_t>());
    }
    std::cout << std::fixed << std::setprecision(1) << "  batched       "
              << static_cast<double>(count) / batched_s << " images/s (" << batched_s
              << " s, batches of " << batch << ")\n"
              << "  one by one    " << static_cast<double>(count) / single_s << " images/s ("
              << single_s << " s)\n"
              << std::setprecision(2) << "  ratio         " << single_s / batched_s << "x\n"
              << "  difference    " << difference
              << " levels of 255 at most between the two paths\n";
    return difference <= 1 ? 0 : 1;
  }
};

PluginInfo bench_line_render_info() {
  PluginInfo info;
  info.name = "bench_line_render";
  info.version = "1.0";
  info.summary = "line_render's batched drawing against one image at a time: images/s";
  info.params = {{"sequences", "int", 1000, "random-walk sequences to draw", 1.0, 1e7},
                 {"length", "int", 100, "their length", 2.0, 1e7},
                 {"path", "string", "", "draw this .npy/CSV file's sequences instead"},
                 {"batch", "int", 100, "sequences per batch of the batched path", 1.0, 1e6},
                 {"device", "string", "cpu", "cpu, cuda or cuda:N"},
                 {"threads", "int", 0, "CPU threads (0: LibTorch's default)", 0.0, 1024.0},
                 {"seed", "int", 1, "seed of the random walks", 0.0, 9007199254740992.0}};
  for (const ParamDoc& doc : line_style_docs()) info.params.push_back(doc);
  return info;
}

std::shared_ptr<Command> make_bench_line_render(const Params&, const BuildContext&) {
  return std::make_shared<BenchLineRender>();
}

}  // namespace
}  // namespace stegolab

STEGOLAB_PLUGIN(stegolab::Command, bench_line_render, stegolab::bench_line_render_info,
                stegolab::make_bench_line_render)
