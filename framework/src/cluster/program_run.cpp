#include "cluster/program_run.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace stegolab {

namespace {

std::string read_program_output(int fd) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return text;
}

// In the child of a process with threads: only async-signal-safe calls
// (no allocation) between fork and exec. stdin from /dev/null, stdout and
// stderr to `out`.
[[noreturn]] void exec_child(char* const* args, const std::string& failure, int out) {
  const int in = open("/dev/null", O_RDONLY);
  if (in >= 0) dup2(in, STDIN_FILENO);
  dup2(out, STDOUT_FILENO);
  dup2(out, STDERR_FILENO);
  execvp(args[0], args);
  const ssize_t ignored = write(STDOUT_FILENO, failure.data(), failure.size());
  (void)ignored;
  _exit(127);
}

}  // namespace

ProgramRun ProgramRun::run(const std::vector<std::string>& argv) {
  ProgramRun result;
  if (argv.empty()) return result;
  int from_child[2];
  if (pipe2(from_child, O_CLOEXEC) != 0) return result;
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const std::string failure = "cannot run " + argv[0] + " (is it installed and on PATH?)\n";
  const pid_t pid = fork();
  if (pid == 0) exec_child(args.data(), failure, from_child[1]);
  close(from_child[1]);
  if (pid < 0) {
    close(from_child[0]);
    result.output = "cannot run " + argv[0] + ": " + std::strerror(errno);
    return result;
  }
  result.output = read_program_output(from_child[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (result.status == 127 && result.output == failure) {
    result.status = -1;
    result.output.pop_back();
  }
  return result;
}

std::string ProgramRun::first_output_line() const {
  std::string line = output.substr(0, output.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

std::string ProgramRun::last_output_line() const {
  std::string text = output;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text.substr(text.find_last_of('\n') == std::string::npos ? 0
                                                                  : text.find_last_of('\n') + 1);
}

}  // namespace stegolab
