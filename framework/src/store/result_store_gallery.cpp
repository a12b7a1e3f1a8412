// The store's gallery rows: which picture files a trial left, and what each shows.
#include <set>

#include "store/result_store.hpp"
#include "store/store_rows.hpp"

namespace stegolab {

namespace {

// Below the database's folder: relative to it, so that the database and its
// runs folder can move together. Elsewhere: as given (absolute).
std::string stored_path(const std::filesystem::path& path, const std::filesystem::path& database) {
  std::error_code ec;
  const std::filesystem::path folder =
      std::filesystem::weakly_canonical(std::filesystem::absolute(database, ec).parent_path(), ec);
  const std::filesystem::path file =
      std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
  const std::filesystem::path relative = file.lexically_relative(folder);
  if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return file.generic_string();
}

}  // namespace

void ResultStore::record_gallery(int64_t trial_id, const std::vector<GalleryImage>& images) {
  std::set<std::string> splits;
  for (const GalleryImage& image : images) splits.insert(split_name(image.split));
  std::lock_guard<std::mutex> lock(mutex_);
  WriteTransaction transaction(db_, file_,
                               "recording the gallery of trial " + std::to_string(trial_id));
  SqliteStatement clear(db_, file_, "DELETE FROM gallery_images WHERE trial_id = ? AND split = ?");
  for (const std::string& split : splits) {
    clear.bind(1, trial_id).bind(2, split);
    clear.run();
  }
  SqliteStatement insert(db_, file_,
                         "INSERT OR REPLACE INTO gallery_images (trial_id, split, sample, "
                         "position, panel, caption, path, width, height) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const GalleryImage& image : images) {
    insert.bind(1, trial_id).bind(2, std::string(split_name(image.split)));
    insert.bind(3, image.sample).bind(4, image.position).bind(5, image.panel);
    insert.bind(6, image.caption).bind(7, stored_path(image.path, file_));
    insert.bind(8, image.width).bind(9, image.height);
    insert.run();
  }
  transaction.commit();
}

std::vector<GalleryImage> ResultStore::gallery(int64_t trial_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<GalleryImage> result;
  {
    // Files older than schema version 3 are read as they are: no galleries.
    SqliteStatement table(db_, file_,
                          "SELECT count(*) FROM sqlite_master WHERE name = 'gallery_images'");
    if (!table.step() || table.column_int(0) == 0) return result;
  }
  SqliteStatement query(db_, file_,
                        "SELECT split, sample, position, panel, caption, path, width, height "
                        "FROM gallery_images WHERE trial_id = ? "
                        "ORDER BY split, sample, position");
  query.bind(1, trial_id);
  const std::filesystem::path folder = file_.parent_path();
  while (query.step()) {
    GalleryImage image;
    image.split = parse_split(query.column_text(0)).value_or(Split::test);
    image.sample = query.column_int(1);
    image.position = query.column_int(2);
    image.panel = query.column_text(3);
    image.caption = query.column_text(4);
    const std::filesystem::path stored = query.column_text(5);
    image.path = stored.is_absolute() ? stored : folder / stored;
    image.width = query.column_int(6);
    image.height = query.column_int(7);
    result.push_back(std::move(image));
  }
  return result;
}

}  // namespace stegolab
