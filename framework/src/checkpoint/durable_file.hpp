// DurableFile: a checkpoint file written so that any failure (a full disk,
// a file-size limit, a folder that went away) ends in one CheckpointError
// naming the file ("cannot write model.pt: No space left on device"; the
// caller names the folder), and success means the bytes are on the disk
// (fsync) before anything renames them into use.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace stegolab {

class DurableFile {
 public:
  // Creates (or truncates) `file`; throws CheckpointError when it cannot.
  explicit DurableFile(std::filesystem::path file);
  ~DurableFile();
  DurableFile(const DurableFile&) = delete;
  DurableFile& operator=(const DurableFile&) = delete;

  // Appends `size` bytes (zeros when `data` is null, as LibTorch's writer
  // asks for padding). Always reports success: LibTorch's archive writer
  // throws from its destructor after a failed write, which aborts the
  // process, so the first error is kept for commit() instead.
  size_t append(const void* data, size_t size) noexcept;
  // Flushes to the disk and closes; throws CheckpointError naming the file
  // for the first error of any append and for its own.
  void commit();

 private:
  std::filesystem::path file_;
  int fd_ = -1;
  int error_ = 0;  // errno of the first failed write
};

// Flushes a folder's entries (the renames in it) to the disk. Best effort:
// some filesystems do not sync folders, and the data is synced already.
void sync_folder(const std::filesystem::path& folder);

}  // namespace stegolab
