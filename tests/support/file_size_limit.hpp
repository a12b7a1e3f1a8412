// FileSizeLimit: while it lives, this process (and every child it starts)
// cannot write a file past `bytes`: a write there fails with EFBIG ("File
// too large") instead of raising SIGXFSZ. A full disk without root or a
// small filesystem; the soft limit goes back up when it ends.
#pragma once

#include <csignal>
#include <cstdint>

#include <sys/resource.h>

class FileSizeLimit {
 public:
  explicit FileSizeLimit(std::uint64_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limited);
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*previous_handler_)(int) = SIG_DFL;
};
