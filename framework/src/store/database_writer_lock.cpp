#include "store/database_writer_lock.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "store/result_store.hpp"

namespace stegolab {

namespace {

std::string read_pid(int fd) {
  char buffer[32] = {0};
  const ssize_t count = pread(fd, buffer, sizeof buffer - 1, 0);
  if (count <= 0) return "";
  std::string text(buffer, static_cast<size_t>(count));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return "";
  return text;
}

}  // namespace

std::filesystem::path DatabaseWriterLock::lock_file(const std::filesystem::path& database) {
  return database.string() + ".lock";
}

DatabaseWriterLock::DatabaseWriterLock(const std::filesystem::path& database) {
  const std::string name = "results database '" + database.string() + "'";
  const std::filesystem::path file = lock_file(database);
  // O_CLOEXEC: a child (git, a PNG converter) must not keep the lock alive.
  fd_ = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw StoreError("cannot create the lock file '" + file.string() + "' of " + name + ": " +
                     std::strerror(errno));
  }
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string pid = error == EWOULDBLOCK ? read_pid(fd_) : "";
    close(fd_);
    fd_ = -1;
    if (error != EWOULDBLOCK) {
      throw StoreError("cannot lock '" + file.string() + "' of " + name + ": " +
                       std::strerror(error));
    }
    throw StoreError(name + " is being written by another stegolab run" +
                     (pid.empty() ? std::string() : " (pid " + pid + ")") +
                     "; wait for it to finish or use another --db");
  }
  // The pid only serves the message above; the lock holds without it.
  const std::string pid = std::to_string(getpid()) + "\n";
  const bool written = ftruncate(fd_, 0) == 0 && pwrite(fd_, pid.data(), pid.size(), 0) > 0;
  (void)written;
}

DatabaseWriterLock::~DatabaseWriterLock() {
  if (fd_ < 0) return;
  // The file stays: removing it could let a third process lock a new file
  // while a second one has the old one open. Emptying it drops our pid.
  const bool emptied = ftruncate(fd_, 0) == 0;
  (void)emptied;
  close(fd_);  // releases the flock
}

}  // namespace stegolab
