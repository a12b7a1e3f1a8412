#include "checkpoint/checkpoint_slot.hpp"

#include <cerrno>
#include <optional>
#include <random>
#include <vector>

#include <fcntl.h>
#include <stdio.h>

#include "checkpoint/checkpoint.hpp"
#include "checkpoint/durable_file.hpp"

namespace stegolab {

namespace fs = std::filesystem;

namespace {

// ".last.": the start of every sibling that belongs to `target`.
std::string sibling_prefix(const fs::path& target) {
  return "." + target.filename().string() + ".";
}

bool exists_as_entry(const fs::path& path) {
  std::error_code error;
  return fs::symlink_status(path, error).type() != fs::file_type::not_found;
}

// A not yet existing sibling ".<name>.<kind><n>" of `target`.
fs::path fresh_sibling(const fs::path& target, const std::string& kind) {
  std::random_device random;
  for (;;) {
    const fs::path sibling =
        target.parent_path() / (sibling_prefix(target) + kind + std::to_string(random()));
    if (!exists_as_entry(sibling)) return sibling;
  }
}

// The fallback for filesystems that cannot exchange two names atomically.
void replace_in_two_renames(const fs::path& staging, const fs::path& target) {
  const fs::path retired = fresh_sibling(target, "old-");
  fs::rename(target, retired);
  fs::rename(staging, target);
  sync_folder(target.parent_path());
  std::error_code ignored;
  fs::remove_all(retired, ignored);
}

struct Candidate {
  fs::path dir;
  int64_t epoch = -1;
};

// `dir` as a candidate: complete (its manifest is written last) and not
// ahead of `max_epoch`. Otherwise why not goes to `why_not` (if still
// empty): for any that is ahead, and for the target's own damage; an
// incomplete leftover is only the remains of an interrupted write.
std::optional<Candidate> candidate(const fs::path& dir, bool is_target, int64_t max_epoch,
                                   std::string& why_not) {
  std::string why;
  try {
    const int64_t epoch = read_checkpoint_manifest(dir).epoch;
    if (epoch <= max_epoch) return Candidate{dir, epoch};
    why = "its checkpoint after epoch " + std::to_string(epoch + 1) +
          " is ahead of the recorded epochs";
  } catch (const Error& error) {
    if (is_target) why = "its checkpoint is unusable: " + first_line(error.what());
  }
  if (why_not.empty()) why_not = why;
  return std::nullopt;
}

}  // namespace

fs::path checkpoint_staging(const fs::path& target) { return fresh_sibling(target, "tmp-"); }

void replace_checkpoint(const fs::path& staging, const fs::path& target) {
  sync_folder(staging);
  const fs::path folder = target.parent_path();
  if (!exists_as_entry(target)) {
    fs::rename(staging, target);
    sync_folder(folder);
    return;
  }
  if (renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
    const int error = errno;
    if (error != EINVAL && error != ENOSYS && error != EOPNOTSUPP) {
      throw fs::filesystem_error("cannot exchange", staging, target,
                                 std::error_code(error, std::generic_category()));
    }
    replace_in_two_renames(staging, target);
    return;
  }
  sync_folder(folder);
  // The old checkpoint, now under the staging name; settle_checkpoint()
  // removes it at the next start if this cannot.
  std::error_code ignored;
  fs::remove_all(staging, ignored);
}

SettledCheckpoint settle_checkpoint(const fs::path& target, int64_t max_epoch) {
  SettledCheckpoint settled;
  std::optional<Candidate> best;
  if (exists_as_entry(target)) best = candidate(target, true, max_epoch, settled.why_not);
  if (!fs::is_directory(target.parent_path())) return settled;
  std::vector<fs::path> leftovers;
  const std::string prefix = sibling_prefix(target);
  for (const auto& entry : fs::directory_iterator(target.parent_path())) {
    if (entry.path().filename().string().rfind(prefix, 0) != 0) continue;
    leftovers.push_back(entry.path());
    const auto found = candidate(entry.path(), false, max_epoch, settled.why_not);
    if (found && (!best || found->epoch > best->epoch)) best = found;
  }
  if (best && best->dir != target) {
    // A crash between these two leaves the leftover in place for next time.
    fs::remove_all(target);
    fs::rename(best->dir, target);
    settled.recovered_from = best->dir.filename().string();
  }
  for (const fs::path& leftover : leftovers) fs::remove_all(leftover);
  sync_folder(target.parent_path());
  if (best) {
    settled.usable = true;
    settled.epoch = best->epoch;
    settled.why_not.clear();
  }
  return settled;
}

}  // namespace stegolab
