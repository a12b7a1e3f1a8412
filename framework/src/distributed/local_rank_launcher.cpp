#include "distributed/local_rank_launcher.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

#include "stegolab/errors.hpp"

extern char** environ;

namespace stegolab {

namespace {

// How long the other ranks get to stop by themselves after one has failed.
constexpr std::chrono::seconds kStopGrace{10};

volatile std::sig_atomic_t forwarded_signal = 0;

void remember_signal(int signal_number) { forwarded_signal = signal_number; }

std::filesystem::path make_rendezvous_folder() {
  std::string pattern = (std::filesystem::temp_directory_path() / "stegolab-ranks-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw Error("--nproc: cannot create a rendezvous folder in " +
                std::filesystem::temp_directory_path().string());
  }
  return pattern;
}

pid_t spawn_rank(int rank, int ranks, const std::filesystem::path& rendezvous,
                 const std::vector<std::string>& arguments) {
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const std::string name = text.substr(0, text.find('='));
    if (name != "RANK" && name != "WORLD_SIZE" && name != "LOCAL_RANK" &&
        name != "LOCAL_WORLD_SIZE" && name != "STEGOLAB_RENDEZVOUS_FILE") {
      environment.push_back(text);
    }
  }
  environment.push_back("RANK=" + std::to_string(rank));
  environment.push_back("LOCAL_RANK=" + std::to_string(rank));
  environment.push_back("WORLD_SIZE=" + std::to_string(ranks));
  environment.push_back("LOCAL_WORLD_SIZE=" + std::to_string(ranks));
  environment.push_back("STEGOLAB_RENDEZVOUS_FILE=" + (rendezvous / "store").string());
  const std::string program = std::filesystem::read_symlink("/proc/self/exe").string();
  std::vector<char*> argv{const_cast<char*>(program.c_str())};
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), envp.data());
  if (error != 0) {
    throw Error("--nproc: cannot start rank " + std::to_string(rank) + " (" + program +
                "): " + std::strerror(error));
  }
  return pid;
}

int exit_status(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  return 128 + WTERMSIG(wait_status);
}

}  // namespace

int run_local_ranks(int ranks, const std::vector<std::string>& arguments, std::ostream& err) {
  const std::filesystem::path rendezvous = make_rendezvous_folder();
  struct sigaction action {};
  action.sa_handler = remember_signal;
  struct sigaction old_term {
  }, old_usr1{};
  sigaction(SIGTERM, &action, &old_term);
  sigaction(SIGUSR1, &action, &old_usr1);
  std::map<pid_t, int> running;  // pid -> rank
  try {
    for (int rank = 0; rank < ranks; ++rank) {
      running[spawn_rank(rank, ranks, rendezvous, arguments)] = rank;
    }
  } catch (const Error&) {
    for (const auto& [pid, rank] : running) kill(pid, SIGKILL);
    for (const auto& [pid, rank] : running) waitpid(pid, nullptr, 0);
    throw;
  }
  int status = 0;
  std::optional<std::chrono::steady_clock::time_point> failed_at;
  while (!running.empty()) {
    if (forwarded_signal != 0) {
      for (const auto& [pid, rank] : running) kill(pid, forwarded_signal);
      forwarded_signal = 0;
    }
    if (failed_at && std::chrono::steady_clock::now() - *failed_at > kStopGrace) {
      for (const auto& [pid, rank] : running) kill(pid, SIGKILL);
    }
    int wait_status = 0;
    const pid_t pid = waitpid(-1, &wait_status, WNOHANG);
    if (pid <= 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    const auto found = running.find(pid);
    if (found == running.end()) continue;
    const int code = exit_status(wait_status);
    if (code != 0 && status == 0) {
      status = code;
      failed_at = std::chrono::steady_clock::now();
    }
    if (code != 0) {
      err << "rank " << found->second << " of " << ranks << " ended with status " << code << "\n";
    }
    running.erase(found);
  }
  sigaction(SIGTERM, &old_term, nullptr);
  sigaction(SIGUSR1, &old_usr1, nullptr);
  std::error_code ignored;
  std::filesystem::remove_all(rendezvous, ignored);
  return status;
}

}  // namespace stegolab
