// Where a data-parallel process learns its rank, the world's size and how to
// reach rank 0: from a torchrun-style launcher's variables or from Slurm's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace stegolab {

// Which launcher's variables name the ranks (`run --ranks`).
enum class RankSource { torchrun, slurm };

RankSource parse_rank_source(const std::string& text);  // "env" | "slurm"; throws one line

struct RankEnvironment {
  int rank = 0;
  int world = 1;
  int local_rank = 0;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  // Set by `run --nproc` for its children: a FileStore rendezvous on this
  // machine instead of a TCPStore at master_addr:master_port.
  std::string rendezvous_file;
};

// Reads the variables through `lookup` (getenv in the program, a map in the
// tests). torchrun: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT.
// Slurm (srun): SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID; MASTER_ADDR
// defaults to the first host of SLURM_JOB_NODELIST (or SLURM_NODELIST).
// Either way STEGOLAB_RENDEZVOUS_FILE, when set, selects a file rendezvous.
// A missing or malformed variable is a one-line error naming it.
RankEnvironment read_rank_environment(
    RankSource source, const std::function<std::optional<std::string>(const std::string&)>& lookup);

// The first host of a Slurm node list: "node[3-5,9],gpu1" -> "node3".
std::string first_slurm_host(const std::string& node_list);

}  // namespace stegolab
