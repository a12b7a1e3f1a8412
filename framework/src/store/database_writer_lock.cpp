#include "store/database_writer_lock.hpp"

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/exclusive_lock_file.hpp"
#include "store/result_store.hpp"

namespace stegolab {

namespace fs = std::filesystem;

namespace {

// The database's device and inode; nothing while it does not exist.
std::optional<struct stat> identity_of(const fs::path& database) {
  struct stat status {};
  if (stat(database.c_str(), &status) != 0) return std::nullopt;
  return status;
}

// The file the name stands for: symlinks followed even when the file does
// not exist yet, so every symlink to a database meets one lock file before
// the first run has created it.
fs::path resolved(const fs::path& database) {
  std::error_code error;
  fs::path path = fs::absolute(database, error);
  for (int hops = 0; hops < 40 && fs::is_symlink(path, error); ++hops) {
    const fs::path target = fs::read_symlink(path, error);
    if (error) break;
    path = target.is_absolute() ? target : path.parent_path() / target;
  }
  const fs::path canonical = fs::weakly_canonical(path, error);
  return error ? path.lexically_normal() : canonical;
}

// A folder only this user can write, so that no one else can plant or hold
// the identity locks.
fs::path private_lock_folder() {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::error_code error;
  const fs::path folder =
      runtime != nullptr && *runtime != '\0' && fs::is_directory(runtime, error)
          ? fs::path(runtime) / "stegolab"
          : fs::temp_directory_path() / ("stegolab-" + std::to_string(getuid()));
  mkdir(folder.c_str(), 0700);
  struct stat status {};
  if (lstat(folder.c_str(), &status) != 0 || !S_ISDIR(status.st_mode) ||
      status.st_uid != getuid() || (status.st_mode & 0077) != 0) {
    throw StoreError("cannot keep the results databases' writer locks in '" + folder.string() +
                     "': it is not a folder private to this user");
  }
  return folder;
}

[[noreturn]] void refuse(const std::string& name, const ExclusiveLockFile& lock,
                         const std::string& ours) {
  const ExclusiveLockFile::Holder holder = lock.holder();
  const std::string other = !holder.name.empty() && holder.name != ours
                                ? " (the same file as '" + holder.name + "')"
                                : std::string();
  throw StoreError(name + other + " is being written by another stegolab run" +
                   (holder.pid.empty() ? std::string() : " (pid " + holder.pid + ")") +
                   "; wait for it to finish or use another --db");
}

}  // namespace

fs::path DatabaseWriterLock::lock_file(const fs::path& database) {
  return resolved(database).string() + ".lock";
}

bool DatabaseWriterLock::held(const fs::path& database) {
  // Every writer takes the lock beside the file first, so it is enough.
  const int fd = open(lock_file(database).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool free = flock(fd, LOCK_SH | LOCK_NB) == 0;
  close(fd);  // releases our shared lock, if taken
  return !free;
}

DatabaseWriterLock::DatabaseWriterLock(const fs::path& database)
    : database_(database), ours_(fs::absolute(database).lexically_normal().string()) {
  by_name_ = std::make_unique<ExclusiveLockFile>(lock_file(database), "the lock file of " + name());
  if (!by_name_->acquired()) refuse(name(), *by_name_, ours_);
  by_name_->write_holder(ours_);
  lock_created_file();
}

void DatabaseWriterLock::lock_created_file() {
  if (by_identity_) return;
  const std::optional<struct stat> identity = identity_of(database_);
  if (!identity) return;
  const fs::path file = private_lock_folder() / (std::to_string(identity->st_dev) + "-" +
                                                 std::to_string(identity->st_ino) + ".lock");
  auto lock = std::make_unique<ExclusiveLockFile>(file, "the identity lock of " + name());
  if (!lock->acquired()) refuse(name(), *lock, ours_);
  lock->write_holder(ours_);
  by_identity_ = std::move(lock);
}

std::string DatabaseWriterLock::name() const {
  return "results database '" + database_.string() + "'";
}

DatabaseWriterLock::~DatabaseWriterLock() = default;

}  // namespace stegolab
