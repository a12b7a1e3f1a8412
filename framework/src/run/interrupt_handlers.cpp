#include "run/interrupt_handlers.hpp"

#include <csignal>
#include <cstring>

#include <unistd.h>

#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

// Lock-free atomics are async-signal-safe; a mutex or iostream would not be.
std::atomic<bool> g_interrupted{false};
std::atomic<bool> g_installed{false};
std::atomic<int> g_signal{0};
struct sigaction g_previous_int;
struct sigaction g_previous_term;
struct sigaction g_previous_usr1;

void on_signal(int number) {
  if (g_interrupted.exchange(true)) {
    _exit(130);  // second signal: the user wants out now
  }
  g_signal = number;
  const char message[] =
      "\nstopping after the current step (the trial is marked interrupted); "
      "press Ctrl-C again to quit immediately\n";
  const ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
  (void)ignored;
}

}  // namespace

InterruptHandlers::InterruptHandlers() {
  if (g_installed.exchange(true)) throw Error("internal: InterruptHandlers installed twice");
  g_interrupted = false;
  g_signal = 0;
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESTART: blocking reads (data loading) resume instead of failing with EINTR.
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
  sigaction(SIGUSR1, &action, &g_previous_usr1);
}

InterruptHandlers::~InterruptHandlers() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
  sigaction(SIGUSR1, &g_previous_usr1, nullptr);
  g_installed = false;
}

const std::atomic<bool>& InterruptHandlers::flag() const { return g_interrupted; }

int InterruptHandlers::signal_number() const { return g_signal.load(); }

}  // namespace stegolab
