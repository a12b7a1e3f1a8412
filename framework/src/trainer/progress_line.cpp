#include "trainer/progress_line.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <utility>

namespace stegolab {

namespace {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto total = static_cast<long long>(seconds + 0.5);
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%lldh%02lldm", total / 3600, (total / 60) % 60);
  } else {
    std::snprintf(text, sizeof text, "%lldm%02llds", total / 60, total % 60);
  }
  return text;
}

}  // namespace

ProgressLine::ProgressLine(std::ostream& out, bool live, std::string label)
    : out_(out), live_(live), label_(std::move(label)), last_(std::chrono::steady_clock::now()) {}

bool ProgressLine::is_terminal(const std::ostream& out) {
  if (&out == &std::cerr || &out == &std::clog) return isatty(STDERR_FILENO) != 0;
  if (&out == &std::cout) return isatty(STDOUT_FILENO) != 0;
  return false;
}

bool ProgressLine::due() const {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - last_).count();
  return elapsed >= (live_ ? 0.25 : 10.0);
}

void ProgressLine::update(int64_t epoch, int64_t epochs, int64_t step, int64_t steps, double loss,
                          double images_per_s, double eta_seconds) {
  char text[256];
  std::snprintf(text, sizeof text, "%s epoch %lld/%lld step %lld/%lld loss %.4g %.1f img/s ETA %s",
                label_.c_str(), static_cast<long long>(epoch + 1), static_cast<long long>(epochs),
                static_cast<long long>(step), static_cast<long long>(steps), loss, images_per_s,
                format_duration(eta_seconds).c_str());
  const std::string line = text;
  if (live_) {
    // Pad over the previous, possibly longer, line.
    out_ << '\r' << line << std::string(width_ > line.size() ? width_ - line.size() : 0, ' ')
         << std::flush;
    width_ = line.size();
    showing_ = true;
  } else {
    out_ << line << '\n' << std::flush;
  }
  last_ = std::chrono::steady_clock::now();
}

void ProgressLine::message(const std::string& text) {
  finish();
  out_ << label_ << ' ' << text << '\n' << std::flush;
}

void ProgressLine::finish() {
  if (showing_) out_ << '\n' << std::flush;
  showing_ = false;
  width_ = 0;
}

}  // namespace stegolab
