// Registration of the steganography task and its commands.
#include "metric_declarations.hpp"
#include "secret_images.hpp"
#include "steganography_commands.hpp"
#include "steganalysis/steganalysis.hpp"
#include "steganography_task.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab::steganography {

namespace {

PluginInfo task_info() {
  PluginInfo info;
  info.name = "steganography";
  info.version = "1.0.0";
  info.summary =
      "hide secret images in a cover and recover them (hiding/recovery PSNR, SSIM, BER)";
  info.params = {{"quantize_stego", "bool", true,
                  "quantise the stego to 8 bits before extraction in evaluation, as a saved PNG "
                  "would; false adds the float path's metrics (suffix _float). Also accepted as "
                  "eval.quantize_stego"},
                 {"attacks", "array", nlohmann::json::array(),
                  "evaluation attacks, [{\"plugin\": NAME, \"params\": {...}}]: each adds the "
                  "recovery metrics under it, named <metric>@<label> (rec_psnr@jpeg(q=90)); also "
                  "accepted as eval.attacks"},
                 {"train_attacks", "array", nlohmann::json::array(),
                  "the training channel between embed and extract: a mix of attacks, same form, "
                  "or chains {\"chain\": [attack, ...]} applied in order; per batch one of "
                  "them, drawn uniformly"},
                 {"train_attack_probability", "any", 1.0,
                  "probability per training image of passing through the mix: a number in "
                  "[0, 1], or a curriculum {\"start\": P, \"end\": P} ramping linearly over "
                  "training"},
                 {"secrets", "int", 1,
                  "secret images hidden in each cover (24 bpp each for RGB); above 1 the "
                  "recovery metrics are the mean over the secrets, with rec_psnr_1 .. "
                  "rec_psnr_k etc. per secret",
                  1.0, static_cast<double>(kMaxSecrets)},
                 {"pairs", "object", nlohmann::json::object(),
                  "fixed samples per split: {\"train\"|\"val\"|\"test\": FILE}, each line of "
                  "FILE 'cover secret_1 .. secret_k' (image names of the data source), a relative "
                  "FILE against the experiment file's folder; a split without a file is paired at "
                  "random"}};
  info.params.push_back(
      {"steganalysis", "any", false,
       "after training, detect the stego images: true, or {\"epochs\": 10, \"batch\": 16, "
       "\"learning_rate\": 0.001, \"max_images\": 0} (pairs per split, 0: all); a learned "
       "steganalyser trained on the train split and sample-pair analysis, measured on the test "
       "split (steganalysis_* metrics, 0.5 = undetectable; docs/security.md). Also accepted as "
       "eval.steganalysis"});
  info.components = SteganographyTask::sections();
  info.metrics = metric_declarations();
  for (const MetricDeclaration& m : steganalysis_declarations()) info.metrics.push_back(m);
  info.best_metric = "rec_psnr";
  return info;
}

std::map<std::string, std::string> pairs_files(const Params& params) {
  std::map<std::string, std::string> files;
  if (!params.has("pairs")) return files;
  for (const auto& [split, file] : params.get_json("pairs").items()) {
    if (split != "train" && split != "val" && split != "test") {
      throw ParamError(params.owner() + ": parameter 'pairs' names splits train, val and test, "
                       "got '" + split + "'");
    }
    if (!file.is_string() || file.get<std::string>().empty()) {
      throw ParamError(params.owner() + ": parameter 'pairs." + split +
                       "' must name a pairs file, got " + file.dump());
    }
    files[split] = file.get<std::string>();
  }
  return files;
}

std::shared_ptr<Task> make_task(const Params& params, const BuildContext& /*context*/) {
  TaskSettings settings;
  settings.quantize_stego = params.get_bool("quantize_stego", settings.quantize_stego);
  settings.train_attacks = read_training_mix(params, "train_attacks");
  settings.train_attack_probability =
      read_training_curriculum(params, "train_attack_probability");
  settings.eval_attacks = read_attack_list(params, "attacks");
  settings.secrets = params.get_int_at_least("secrets", settings.secrets, 1);
  if (settings.secrets > kMaxSecrets) {
    throw ParamError(params.owner() + ": parameter 'secrets' must be at most " +
                     std::to_string(kMaxSecrets) + ", got " + std::to_string(settings.secrets));
  }
  settings.pairs = pairs_files(params);
  settings.steganalysis = read_steganalysis_settings(params);
  return std::make_shared<SteganographyTask>(settings);
}

// Options every command of this task takes besides its own.
std::vector<ParamDoc> with_common(std::vector<ParamDoc> own) {
  own.push_back({"checkpoint", "string", nullptr, "checkpoint directory"});
  own.push_back({"out", "string", nullptr,
                 "output image, 8-bit; a lossless format (.png, .bmp, .tif, .ppm) unless "
                 "--allow-lossy; extract with k secrets writes OUT's name + _1 .. _k"});
  own.push_back({"allow-lossy", "bool", false,
                 "allow a lossy --out format (JPEG, WebP, ...); the quality printed is then of "
                 "the file as written"});
  own.push_back({"device", "string", "cpu", "cpu, cuda or cuda:N"});
  own.push_back({"fit", "string", "",
                 "how images meet the model: resize (to the trained square size) or native (the "
                 "image's own size; the model is convolutional); default: the checkpoint's "
                 "\"resize\" field"});
  return own;
}

PluginInfo embed_info() {
  PluginInfo info;
  info.name = "embed";
  info.version = "1.0.0";
  info.summary = "hide secret images in a cover with a checkpoint";
  info.params = with_common(
      {{"cover", "string", nullptr, "cover image"},
       {"secret", "string", nullptr,
        "secret image to hide; a checkpoint trained with k secrets takes k, comma-separated"}});
  return info;
}

PluginInfo extract_info() {
  PluginInfo info;
  info.name = "extract";
  info.version = "1.0.0";
  info.summary = "recover the secret images from a stego image";
  info.params = with_common(
      {{"stego", "string", nullptr, "stego image"},
       {"reference", "string", "",
        "the original secret, to report PSNR/SSIM against (k secrets: k files, "
        "comma-separated)"}});
  return info;
}

PluginInfo data_pairs_info() {
  PluginInfo info;
  info.name = "data_pairs";
  info.version = "1.0.0";
  info.summary = "write a pairs file (task.params.pairs) of a folder's images for a seed";
  info.params = {
      {"folder", "string", nullptr, "folder of images, as the image_folder dataset reads it"},
      {"seed", "int", 0, "seed of the pairing (the same seed gives the same file)", 0.0,
       9007199254740992.0},
      {"secrets", "int", 1, "secrets per cover: names per line after the cover", 1.0,
       static_cast<double>(kMaxSecrets)},
      {"out", "string", "", "the file to write; standard output when left out"}};
  return info;
}

PluginInfo steganalyze_info() {
  PluginInfo info;
  info.name = "steganalyze";
  info.version = "1.0.0";
  info.summary =
      "detect a recorded trial's stego images: learned steganalyser + sample-pair analysis";
  info.params = {
      {"db", "string", "", "results database (default: the only results/*.db)"},
      {"trial", "string", nullptr, "trial id, or (a part of) its key"},
      {"experiment", "string", "", "experiment name or id (when --trial is a key)"},
      {"checkpoint", "string", "best", "best | last"},
      {"device", "string", "cpu", "cpu, cuda or cuda:N"},
      {"epochs", "int", 10, "training epochs of the learned steganalyser", 1.0, 1e6},
      {"batch", "int", 16, "cover/stego pairs per training batch (twice as many images)", 1.0,
       1e6},
      {"learning-rate", "number", 1e-3, "Adam's learning rate", 0.0, 1.0},
      {"max-images", "int", 0, "at most this many pairs per split (0: the whole split)", 0.0,
       1e12},
      {"control", "string", "none",
       "none (the trial's stego images), lsb (the trial's covers with LSB replacement at 1 bit "
       "per channel: a check that the detectors work) or identical (stego = cover: they must "
       "read 0.5); a control records nothing"},
      {"record", "bool", true, "store the results as metrics of the trial (split test)"}};
  return info;
}

PluginInfo evaluate_info() {
  PluginInfo info;
  info.name = "evaluate";
  info.version = "1.0.0";
  info.summary = "measure another method's output folders and record them as an external trial";
  info.params = {
      {"name", "string", nullptr,
       "the method's name as tables show it, e.g. \"HiNet, authors' checkpoint\"; the same "
       "name again updates that trial"},
      {"cover", "string", nullptr, "folder of cover images"},
      {"stego", "string", nullptr,
       "folder of the method's stego images, named as their covers (a.png goes with a.png or "
       "a.jpg: names are matched without extension)"},
      {"secret", "string", "", "folder of the hidden secret images (adds payload_bpp)"},
      {"recovered", "string", "",
       "folder of the secrets the method's own extraction recovered (adds rec_* and ber; needs "
       "--secret)"},
      {"attack", "string", "",
       "the recovered images were extracted from attacked stegos: their metrics are stored as "
       "rec_*@ATTACK, e.g. --attack 'jpeg(q=90)' as eval.attacks labels it"},
      {"db", "string", "",
       "results database (created when missing; default: the only results/*.db)"},
      {"experiment", "string", "",
       "experiment the trial joins (created when missing; default: the database's only one, "
       "or 'external')"},
      {"steganalysis", "bool", false,
       "also detect the stegos: learned steganalyser + sample-pair analysis on the pairs split "
       "by --seed"},
      {"test-fraction", "number", 0.5, "steganalysis: share of the pairs in the test set", 0.0,
       1.0},
      {"seed", "int", 0, "steganalysis: seed of the split, the weights and the batch order", 0.0,
       9007199254740992.0},
      {"epochs", "int", 10, "steganalysis: training epochs", 1.0, 1e6},
      {"batch", "int", 16, "steganalysis: cover/stego pairs per batch", 1.0, 1e6},
      {"learning-rate", "number", 1e-3, "steganalysis: Adam's learning rate", 0.0, 1.0}};
  return info;
}

std::shared_ptr<Command> make_evaluate(const Params&, const BuildContext&) {
  return std::make_shared<EvaluateCommand>();
}

std::shared_ptr<Command> make_steganalyze(const Params&, const BuildContext&) {
  return std::make_shared<SteganalyzeCommand>();
}

std::shared_ptr<Command> make_data_pairs(const Params&, const BuildContext&) {
  return std::make_shared<DataPairsCommand>();
}

std::shared_ptr<Command> make_embed(const Params&, const BuildContext&) {
  return std::make_shared<EmbedCommand>();
}

std::shared_ptr<Command> make_extract(const Params&, const BuildContext&) {
  return std::make_shared<ExtractCommand>();
}

}  // namespace

}  // namespace stegolab::steganography

STEGOLAB_PLUGIN(stegolab::Task, steganography, stegolab::steganography::task_info,
                stegolab::steganography::make_task)
STEGOLAB_PLUGIN(stegolab::Command, embed, stegolab::steganography::embed_info,
                stegolab::steganography::make_embed)
STEGOLAB_PLUGIN(stegolab::Command, data_pairs, stegolab::steganography::data_pairs_info,
                stegolab::steganography::make_data_pairs)
STEGOLAB_PLUGIN(stegolab::Command, steganalyze, stegolab::steganography::steganalyze_info,
                stegolab::steganography::make_steganalyze)
STEGOLAB_PLUGIN(stegolab::Command, evaluate, stegolab::steganography::evaluate_info,
                stegolab::steganography::make_evaluate)
STEGOLAB_PLUGIN(stegolab::Command, extract, stegolab::steganography::extract_info,
                stegolab::steganography::make_extract)
