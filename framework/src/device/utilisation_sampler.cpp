#include "device/utilisation_sampler.hpp"

#include <utility>

namespace stegolab {

UtilisationSampler::UtilisationSampler(Read read, std::chrono::milliseconds period)
    : read_(std::move(read)), period_(period), thread_([this] { run(); }) {}

UtilisationSampler::~UtilisationSampler() { stop(); }

UtilisationStatistics UtilisationSampler::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  return statistics_;
}

void UtilisationSampler::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    // The query may take a while (a driver call); stop() must not wait for
    // the lock meanwhile.
    lock.unlock();
    const std::optional<GpuReading> reading = read_();
    lock.lock();
    if (reading) statistics_.add(*reading);
    wake_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

}  // namespace stegolab
