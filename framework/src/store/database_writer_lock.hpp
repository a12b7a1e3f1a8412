// DatabaseWriterLock: one writing command per results database file.
//
// SQLite's own locking only serialises transactions: two `stegolab run`s on
// the same file would both pass it, run the same pending trials twice and
// overwrite each other's rows. Two advisory flocks, held for the whole run,
// make the second one stop at once instead:
//   "<db>.lock" beside the file the name resolves to (symlinks followed), so
//     every name of the file that goes through a symlink meets the same lock,
//     on this machine and on others sharing the folder;
//   "<device>-<inode>.lock" in a folder private to the user (below
//     $XDG_RUNTIME_DIR or the temporary folder), keyed by the file itself, so
//     hard links (which SQLite gives separate -wal files) meet one lock too.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace stegolab {

class ExclusiveLockFile;

class DatabaseWriterLock {
 public:
  // Takes the lock beside the database, and the identity lock when the
  // file exists, without waiting. Creates nothing but the lock files.
  // Throws StoreError naming the database (and the holder's pid and the
  // other name it used, when it wrote them) when another process or object
  // holds either lock.
  explicit DatabaseWriterLock(const std::filesystem::path& database);
  ~DatabaseWriterLock();
  DatabaseWriterLock(const DatabaseWriterLock&) = delete;
  DatabaseWriterLock& operator=(const DatabaseWriterLock&) = delete;

  // Takes the identity lock of a database that did not exist when the
  // object was made, once the store has created it (a hard link to it can
  // exist only from then on); nothing when it is held already. Throws as
  // the constructor does.
  void lock_created_file();

  // "<database with symlinks resolved>.lock"
  static std::filesystem::path lock_file(const std::filesystem::path& database);
  // Whether a live process holds the lock of `database` now; creates
  // nothing, so a reader of a read-only copy can ask. A trial "running" in
  // a database that no one holds was left so by a process that died.
  static bool held(const std::filesystem::path& database);

 private:
  std::string name() const;  // "results database '...'", for messages

  std::filesystem::path database_;
  std::string ours_;  // the absolute name, as a refused writer is told
  std::unique_ptr<ExclusiveLockFile> by_name_, by_identity_;
};

}  // namespace stegolab
