#include "distributed/rank_environment.hpp"

#include <cctype>

#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

using Lookup = std::function<std::optional<std::string>(const std::string&)>;

int rank_variable(const Lookup& lookup, const std::string& name, std::optional<int> fallback,
                  int lowest) {
  const std::optional<std::string> text = lookup(name);
  if (!text || text->empty()) {
    if (fallback) return *fallback;
    throw Error("data-parallel run: the environment variable " + name +
                " is not set (the launcher sets it for every rank)");
  }
  std::size_t used = 0;
  long value = -1;
  try {
    value = std::stol(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text->size() || value < lowest || value > 65535 * 64) {
    throw Error("data-parallel run: " + name + "=\"" + *text +
                "\" is not an integer >= " + std::to_string(lowest));
  }
  return static_cast<int>(value);
}

}  // namespace

RankSource parse_rank_source(const std::string& text) {
  if (text == "env") return RankSource::torchrun;
  if (text == "slurm") return RankSource::slurm;
  throw Error("--ranks: expected env (RANK, WORLD_SIZE, ...) or slurm (SLURM_PROCID, ...), got \"" +
              text + "\"");
}

std::string first_slurm_host(const std::string& node_list) {
  std::string host;
  for (std::size_t i = 0; i < node_list.size(); ++i) {
    const char c = node_list[i];
    if (c == ',') break;
    if (c != '[') {
      host += c;
      continue;
    }
    // A range list: the first number of its first range, zero padding kept.
    std::size_t end = i + 1;
    while (end < node_list.size() && std::isdigit(static_cast<unsigned char>(node_list[end])))
      ++end;
    host += node_list.substr(i + 1, end - i - 1);
    break;
  }
  return host;
}

RankEnvironment read_rank_environment(RankSource source, const Lookup& lookup) {
  RankEnvironment environment;
  const bool slurm = source == RankSource::slurm;
  environment.world = rank_variable(lookup, slurm ? "SLURM_NTASKS" : "WORLD_SIZE", std::nullopt, 1);
  environment.rank = rank_variable(lookup, slurm ? "SLURM_PROCID" : "RANK", std::nullopt, 0);
  environment.local_rank =
      rank_variable(lookup, slurm ? "SLURM_LOCALID" : "LOCAL_RANK", environment.rank, 0);
  if (environment.rank >= environment.world) {
    throw Error("data-parallel run: rank " + std::to_string(environment.rank) +
                " is not below the world size " + std::to_string(environment.world));
  }
  environment.master_port = rank_variable(lookup, "MASTER_PORT", 29500, 1);
  if (const auto file = lookup("STEGOLAB_RENDEZVOUS_FILE"); file && !file->empty()) {
    environment.rendezvous_file = *file;
  }
  if (const auto address = lookup("MASTER_ADDR"); address && !address->empty()) {
    environment.master_addr = *address;
    return environment;
  }
  if (!slurm && environment.rendezvous_file.empty() && environment.world > 1) {
    throw Error("data-parallel run: MASTER_ADDR is not set (the host of rank 0)");
  }
  if (slurm) {
    std::optional<std::string> nodes = lookup("SLURM_JOB_NODELIST");
    if (!nodes || nodes->empty()) nodes = lookup("SLURM_NODELIST");
    if (nodes && !nodes->empty()) environment.master_addr = first_slurm_host(*nodes);
  }
  return environment;
}

}  // namespace stegolab
