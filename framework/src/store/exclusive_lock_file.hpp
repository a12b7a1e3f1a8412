// ExclusiveLockFile: a non-blocking flock on one file, held while the object
// lives. The holder writes its pid and the name it locked through into the
// file, so whoever is refused can say who holds it and under which name.
#pragma once

#include <filesystem>
#include <string>

namespace stegolab {

class ExclusiveLockFile {
 public:
  // What the holder wrote; empty fields when it wrote nothing (yet).
  struct Holder {
    std::string pid;
    std::string name;
  };

  // Creates `file` when missing and tries to lock it. Throws StoreError, with
  // `what` ("the lock file of results database 'x.db'"), when the file cannot
  // be opened or locked for any reason other than another holder.
  ExclusiveLockFile(const std::filesystem::path& file, const std::string& what);
  ~ExclusiveLockFile();
  ExclusiveLockFile(const ExclusiveLockFile&) = delete;
  ExclusiveLockFile& operator=(const ExclusiveLockFile&) = delete;

  // False when another process (or another object) holds the lock.
  bool acquired() const { return acquired_; }
  // Records this process and `name` for the messages of refused writers.
  void write_holder(const std::string& name);
  // Who holds the lock, as it wrote it.
  Holder holder() const;

 private:
  int fd_ = -1;
  bool acquired_ = false;
};

}  // namespace stegolab
