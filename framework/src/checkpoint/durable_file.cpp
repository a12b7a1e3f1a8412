#include "checkpoint/durable_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include "checkpoint/checkpoint.hpp"

namespace stegolab {

DurableFile::DurableFile(std::filesystem::path file) : file_(std::move(file)) {
  fd_ = open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw CheckpointError("cannot create " + file_.filename().string() + ": " +
                          std::strerror(errno));
  }
}

DurableFile::~DurableFile() {
  if (fd_ >= 0) close(fd_);
}

size_t DurableFile::append(const void* data, size_t size) noexcept {
  static const char kZeros[4096] = {0};
  const char* bytes = static_cast<const char*>(data);
  size_t left = error_ == 0 ? size : 0;
  while (left > 0) {
    const size_t chunk = bytes != nullptr ? left : std::min(left, sizeof kZeros);
    const ssize_t written = write(fd_, bytes != nullptr ? bytes : kZeros, chunk);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      // A write that made no progress and set no errno: the disk is full.
      error_ = written < 0 ? errno : ENOSPC;
      break;
    }
    if (bytes != nullptr) bytes += written;
    left -= static_cast<size_t>(written);
  }
  return size;
}

void DurableFile::commit() {
  const int error = error_ != 0 ? error_ : fsync(fd_) != 0 ? errno : 0;
  const int closed = close(fd_);
  const int close_error = closed != 0 ? errno : 0;
  fd_ = -1;
  const int first = error != 0 ? error : close_error;
  if (first != 0) {
    throw CheckpointError("cannot write " + file_.filename().string() + ": " +
                          std::strerror(first));
  }
}

void sync_folder(const std::filesystem::path& folder) {
  const int fd = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  const bool synced = fsync(fd) == 0;
  (void)synced;
  close(fd);
}

}  // namespace stegolab
