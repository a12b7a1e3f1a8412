#include "device/step_timer.hpp"

#include <chrono>
#include <stdexcept>

#include "device/cuda_backend.hpp"

namespace stegolab {

namespace {

class SteadyClock : public IntervalClock {
 public:
  void begin() override {
    begun_ = std::chrono::steady_clock::now();
    started_ = true;
  }

  void end() override {
    if (!started_) throw std::logic_error("StepTimer::end() without begin()");
    started_ = false;
    seconds_.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begun_).count());
  }

  std::vector<double> seconds() override { return seconds_; }

 private:
  std::chrono::steady_clock::time_point begun_;
  bool started_ = false;
  std::vector<double> seconds_;
};

}  // namespace

StepTimer::StepTimer(torch::Device device)
    : clock_(device.is_cuda() ? cuda_backend::make_event_clock(cuda_backend::index_of(device))
                              : std::make_unique<SteadyClock>()) {}

void StepTimer::begin() { clock_->begin(); }

void StepTimer::end() { clock_->end(); }

std::vector<double> StepTimer::seconds() { return clock_->seconds(); }

}  // namespace stegolab
