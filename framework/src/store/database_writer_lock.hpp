// DatabaseWriterLock: one writing command per results database.
//
// SQLite's own locking only serialises transactions: two `stegolab run`s on
// the same file would both pass it, run the same pending trials twice and
// overwrite each other's rows. An advisory flock on "<db>.lock", held for
// the whole run, makes the second one stop at once instead.
#pragma once

#include <filesystem>

namespace stegolab {

class DatabaseWriterLock {
 public:
  // Creates "<database>.lock" when missing and locks it exclusively without
  // waiting. Throws StoreError naming the database (and the holder's pid,
  // when it wrote one) when another process or object holds the lock.
  explicit DatabaseWriterLock(const std::filesystem::path& database);
  ~DatabaseWriterLock();
  DatabaseWriterLock(const DatabaseWriterLock&) = delete;
  DatabaseWriterLock& operator=(const DatabaseWriterLock&) = delete;

  // "<database>.lock"
  static std::filesystem::path lock_file(const std::filesystem::path& database);

 private:
  int fd_ = -1;
};

}  // namespace stegolab
