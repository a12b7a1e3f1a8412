// Runs job(i) for i in [0, count) on `threads` threads, each taking the next
// unclaimed i; rethrows the first exception a job threw once all are done.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace stegolab {

template <typename Job>
void parallel_for(size_t count, int64_t threads, const Job& job) {
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&]() {
    for (size_t i = next++; i < count; i = next++) {
      try {
        job(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  const auto extra = static_cast<size_t>(std::max<int64_t>(0, threads - 1));
  std::vector<std::thread> pool;
  for (size_t t = 0; t < std::min(extra, count > 0 ? count - 1 : 0); ++t) pool.emplace_back(work);
  work();  // the calling thread is one of the workers
  for (auto& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace stegolab
