#include "cli/progress_line.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <cstdio>
#include <cstdlib>

namespace kmsdiag {

ProgressLine::ProgressLine() {
  const char* ci = std::getenv("CI");
  enabled_ = isatty(STDERR_FILENO) == 1 && !(ci && *ci);
}

void ProgressLine::update(const std::string& input, uint64_t done, uint64_t records) {
  if (!enabled_) return;
  std::lock_guard lk(m_);
  const auto now = std::chrono::steady_clock::now();
  if (shown_ && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  // Keep the end of the path (the file name) when it does not fit in one terminal line.
  std::string name = input;
  if (name.size() > 60) name = "…" + name.substr(name.size() - 59);
  std::fputs(fmt::format("\r\033[Kkmsdiag: {} inputs done, {} records read; reading {}", done, records, name).c_str(),
             stderr);
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::clear() {
  std::lock_guard lk(m_);
  erase();
}

void ProgressLine::print(const std::string& line) {
  std::lock_guard lk(m_);
  erase();
  std::fputs((line + "\n").c_str(), stderr);
}

void ProgressLine::erase() {
  if (!shown_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace kmsdiag
