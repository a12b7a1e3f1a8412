#include "checkpoint/checkpoint.hpp"

#include <fstream>
#include <map>
#include <vector>

#include <torch/serialize.h>
#include <torch/torch.h>

#include "checkpoint/checkpoint_slot.hpp"
#include "checkpoint/durable_file.hpp"

namespace stegolab {

namespace fs = std::filesystem;

namespace {

constexpr int kFormat = 1;

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

// Every parameter's and buffer's shape by name: InputArchive replaces tensors
// without checking shapes, so a mismatch has to be found by comparing.
std::map<std::string, std::vector<int64_t>> shapes(const torch::nn::Module& module) {
  std::map<std::string, std::vector<int64_t>> out;
  for (const auto& p : module.named_parameters()) out[p.key()] = p.value().sizes().vec();
  for (const auto& b : module.named_buffers()) out[b.key()] = b.value().sizes().vec();
  return out;
}

// LibTorch serialises through our writer, never to the file itself: its own
// file writer throws from a destructor when the disk is full, which aborts.
void write_archive(torch::serialize::OutputArchive& archive, const fs::path& file) {
  DurableFile out(file);
  archive.save_to([&out](const void* data, size_t size) { return out.append(data, size); });
  out.commit();
}

void write_manifest(const CheckpointManifest& manifest, const fs::path& file) {
  nlohmann::json json{{"format", kFormat},
                      {"components", manifest.components},
                      {"image_size", manifest.image_size},
                      {"channels", manifest.channels},
                      {"epoch", manifest.epoch},
                      {"metrics", manifest.metrics},
                      {"resize", manifest.resize}};
  if (!manifest.trainer_state.is_null()) json["trainer_state"] = manifest.trainer_state;
  const std::string text = json.dump(2) + "\n";
  DurableFile out(file);
  out.append(text.data(), text.size());
  out.commit();
}

}  // namespace

nlohmann::json component_entry(const std::string& plugin, const std::string& version,
                               const nlohmann::json& params) {
  return {{"plugin", plugin}, {"version", version}, {"params", params}};
}

nlohmann::json manifest_task(const CheckpointManifest& manifest) {
  if (manifest.components.contains("task") && manifest.components.at("task").is_object()) {
    return manifest.components.at("task");
  }
  return {{"plugin", "steganography"}, {"params", nlohmann::json::object()}};
}

std::string module_owner(const CheckpointManifest& manifest, const std::string& name) {
  const nlohmann::json& components = manifest.components;
  if (components.contains(name) && components.at(name).is_object()) {
    return name + " '" + components.at(name).value("plugin", name) + "'";
  }
  return name;
}

void save_checkpoint(const fs::path& dir, const std::vector<NamedModule>& modules,
                     const CheckpointManifest& manifest, const Strategy* strategy) {
  const fs::path target = fs::absolute(dir).lexically_normal();
  const fs::path parent = target.parent_path();
  std::error_code error;
  fs::create_directories(parent, error);
  if (error) throw CheckpointError("cannot create " + quoted(parent) + ": " + error.message());
  const fs::path staging = checkpoint_staging(target);
  const std::string failed = "cannot save checkpoint " + quoted(target) + ": ";
  try {
    fs::create_directory(staging);
    for (const auto& [name, module] : modules) {
      torch::serialize::OutputArchive archive;
      module->save(archive);
      write_archive(archive, staging / (name + ".pt"));
    }
    if (strategy) {
      torch::serialize::OutputArchive archive;
      strategy->save(archive);
      write_archive(archive, staging / "strategy.pt");
    }
    // Last: a folder with a manifest is a complete checkpoint.
    write_manifest(manifest, staging / "checkpoint.json");
    replace_checkpoint(staging, target);
  } catch (const CheckpointError& e) {
    fs::remove_all(staging, error);
    throw CheckpointError(failed + e.what());
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(staging, error);
    throw CheckpointError(failed + e.what());
  } catch (const c10::Error& e) {
    fs::remove_all(staging, error);
    throw CheckpointError(failed + first_line(e.what_without_backtrace()));
  }
}

CheckpointManifest read_checkpoint_manifest(const fs::path& dir) {
  const fs::path manifest_file = dir / "checkpoint.json";
  if (!fs::is_directory(dir))
    throw CheckpointError("checkpoint " + quoted(dir) + " does not exist");
  if (!fs::exists(manifest_file)) {
    throw CheckpointError(quoted(dir) + " is not a checkpoint (no checkpoint.json)");
  }
  nlohmann::json json;
  try {
    std::ifstream in(manifest_file);
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw CheckpointError(quoted(manifest_file) + " is not valid JSON: " + e.what());
  }
  if (!json.is_object() || json.value("format", 0) != kFormat) {
    throw CheckpointError(quoted(manifest_file) +
                          ": unsupported checkpoint format (expected \"format\": 1)");
  }
  CheckpointManifest manifest;
  manifest.components = json.value("components", nlohmann::json::object());
  manifest.image_size = json.value("image_size", int64_t{0});
  manifest.channels = json.value("channels", int64_t{3});
  manifest.epoch = json.value("epoch", int64_t{0});
  manifest.metrics = json.value("metrics", nlohmann::json::object());
  manifest.resize = json.value("resize", std::string("resize"));
  manifest.trainer_state = json.value("trainer_state", nlohmann::json());
  if (manifest.image_size <= 0)
    throw CheckpointError(quoted(manifest_file) + ": missing \"image_size\"");
  return manifest;
}

void load_module_weights(const fs::path& dir, const NamedModule& module, const std::string& owner,
                         torch::Device device) {
  const fs::path weights = dir / (module.first + ".pt");
  if (!fs::exists(weights)) {
    throw CheckpointError(quoted(dir) + " is incomplete: no " + module.first + ".pt");
  }
  torch::nn::Module& target = *module.second;
  const auto expected = shapes(target);
  const std::string mismatch = quoted(weights) + " does not hold weights of " + owner +
                               " with the parameters in checkpoint.json";
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(weights.string(), device);
    target.load(archive);
  } catch (const c10::Error& e) {
    throw CheckpointError(mismatch + ": " + first_line(e.what_without_backtrace()));
  }
  const auto found = shapes(target);
  for (const auto& [name, shape] : expected) {
    if (found.at(name) != shape) {
      throw CheckpointError(mismatch + ": '" + name + "' has shape " +
                            c10::str(c10::IntArrayRef(found.at(name))) + ", expected " +
                            c10::str(c10::IntArrayRef(shape)));
    }
  }
  target.to(device);
}

bool load_strategy_state(const fs::path& dir, Strategy& strategy) {
  const fs::path file = dir / "strategy.pt";
  if (!fs::exists(file)) return false;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(file.string());
    strategy.load(archive);
  } catch (const c10::Error& e) {
    throw CheckpointError(
        quoted(file) + ": cannot restore the strategy: " + first_line(e.what_without_backtrace()));
  }
  return true;
}

}  // namespace stegolab
