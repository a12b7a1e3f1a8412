// The trainer's progress output: one live line per trial on a terminal,
// plain periodic lines otherwise (logs, pipes).
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace stegolab {

class ProgressLine {
 public:
  // live: rewrite one line with \r (at most ~4 times/s); otherwise print a
  // plain line at most every ~10 s.
  ProgressLine(std::ostream& out, bool live, std::string label);

  // Whether update() would print now: the caller reads the loss from the
  // device only then.
  bool due() const;
  void update(int64_t epoch, int64_t epochs, int64_t step, int64_t steps, double loss,
              double images_per_s, double eta_seconds);
  // A line that stays (epoch summary, event): ends the live line first.
  void message(const std::string& text);
  // Ends the live line, if one is showing.
  void finish();

  // Is `out` the process's stdout or stderr attached to a terminal?
  static bool is_terminal(const std::ostream& out);

 private:
  std::ostream& out_;
  bool live_;
  std::string label_;
  std::chrono::steady_clock::time_point last_;
  bool showing_ = false;
  std::size_t width_ = 0;
};

}  // namespace stegolab
