#include "store/exclusive_lock_file.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "store/result_store.hpp"

namespace stegolab {

ExclusiveLockFile::ExclusiveLockFile(const std::filesystem::path& file, const std::string& what) {
  // O_CLOEXEC: a child (git, a PNG converter) must not keep the lock alive.
  fd_ = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw StoreError("cannot create " + what + " '" + file.string() + "': " + std::strerror(errno));
  }
  if (flock(fd_, LOCK_EX | LOCK_NB) == 0) {
    acquired_ = true;
    return;
  }
  const int error = errno;
  if (error == EWOULDBLOCK) return;
  close(fd_);
  fd_ = -1;
  throw StoreError("cannot lock " + what + " '" + file.string() + "': " + std::strerror(error));
}

ExclusiveLockFile::~ExclusiveLockFile() {
  if (fd_ < 0) return;
  // The file stays: removing it could let a third process lock a new file
  // while a second one has the old one open. Emptying it drops our record.
  if (acquired_) {
    const bool emptied = ftruncate(fd_, 0) == 0;
    (void)emptied;
  }
  close(fd_);  // releases the flock
}

void ExclusiveLockFile::write_holder(const std::string& name) {
  // The record only serves messages; the lock holds without it.
  const std::string text = std::to_string(getpid()) + "\n" + name + "\n";
  const bool written = ftruncate(fd_, 0) == 0 && pwrite(fd_, text.data(), text.size(), 0) > 0;
  (void)written;
}

ExclusiveLockFile::Holder ExclusiveLockFile::holder() const {
  char buffer[4096] = {0};
  const ssize_t count = pread(fd_, buffer, sizeof buffer - 1, 0);
  if (count <= 0) return {};
  const std::string text(buffer, static_cast<size_t>(count));
  const size_t end = text.find('\n');
  Holder holder;
  holder.pid = text.substr(0, end);
  if (holder.pid.empty() || holder.pid.find_first_not_of("0123456789") != std::string::npos) {
    return {};  // written by something else, or half written
  }
  if (end != std::string::npos) {
    const size_t name_end = text.find('\n', end + 1);
    if (name_end != std::string::npos) holder.name = text.substr(end + 1, name_end - end - 1);
  }
  return holder;
}

}  // namespace stegolab
