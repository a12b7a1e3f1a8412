// `stegolab gallery`: a trial's pictures written again from one of its
// checkpoints, for any split and image size, without touching the database.
#include <iostream>

#include <boost/program_options.hpp>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/plugin_path_option.hpp"
#include "cli/trial_choice.hpp"
#include "gallery/gallery_writer.hpp"
#include "gallery/stored_trial.hpp"
#include "store/database_locator.hpp"

namespace stegolab::cli {

namespace {

namespace po = boost::program_options;

}  // namespace

int gallery_command(const Arguments& args) {
  std::string db, experiment, trial, split, out;
  int64_t count = 0;
  int64_t size = 0;
  StoredTrialRequest request;
  std::vector<std::string> plugin_paths;
  po::options_description options(
      "usage: stegolab gallery --db D --trial T [--checkpoint best] [--split test] [--count K] "
      "[--size S] [--out DIR]\n"
      "options");
  options.add_options()("help,h", "show this help")(
      "db", po::value(&db), "results database (default: the only results/*.db)")(
      "experiment", po::value(&experiment), "experiment name or id (when --trial is a key)")(
      "trial", po::value(&trial), "trial id, or (a part of) its key")(
      "checkpoint", po::value(&request.checkpoint)->default_value("best"), "best | last")(
      "split", po::value(&split)->default_value("test"), "train | val | test")(
      "count", po::value(&count)->default_value(0),
      "samples (default: the trial's eval.gallery, else 4)")(
      "size", po::value(&size)->default_value(0),
      "evaluation image side: the data source's `eval_crop` (native crops) or `size` "
      "(default: as trained)")(
      "device", po::value(&request.device)->default_value("cpu"), "cpu | cuda | cuda:N")(
      "out", po::value(&out), "folder (default: <trial folder>/gallery/<split>-<checkpoint>)");
  add_plugin_path_option(options, &plugin_paths);
  po::variables_map vm;
  if (!parse_command_line("gallery", args, options, vm)) return 0;
  if (trial.empty()) throw Error("gallery: --trial is required (see 'stegolab results list')");
  if (size < 0 || count < 0) throw Error("gallery: --size and --count must be positive");
  if (size > 0) request.image_size = size;
  const Split chosen = split_option("gallery", split);
  const ResultStore store(locate_database(db, std::filesystem::current_path()),
                          ResultStore::Mode::read_only);
  const TrialRecord record = choose_trial(store, experiment, trial, "gallery");
  const PluginRegistry registry = load_plugins(plugin_paths, &std::cerr);
  StoredTrial stored = rebuild_stored_trial(store, record, registry, request);
  GalleryRequest gallery;
  gallery.split = chosen;
  gallery.indices = chosen == Split::train ? stored.splits.train
                    : chosen == Split::val ? stored.splits.val
                                           : stored.splits.test;
  if (gallery.indices.size(0) == 0) {
    throw Error("gallery: trial " + std::to_string(record.id) + " has no " + split + " split");
  }
  gallery.count = count > 0 ? count : (stored.spec.eval.gallery > 0 ? stored.spec.eval.gallery : 4);
  gallery.batch_size = stored.spec.eval.batch_size;
  gallery.folder = out.empty()
                       ? stored.checkpoint_dir / "gallery" / (split + "-" + request.checkpoint)
                       : std::filesystem::path(out);
  const std::vector<GalleryImage> images = write_gallery(
      *stored.components.task, "task '" + stored.spec.task.plugin + "'", stored.components.source,
      stored.components.device, precision_scope(*stored.components.strategy), gallery);
  std::cout << "wrote " << images.size() << " pictures of trial " << record.id << " (" << record.key
            << ", " << request.checkpoint << " checkpoint, " << split << " split) to "
            << gallery.folder.string() << "\n";
  return 0;
}

}  // namespace stegolab::cli
