// A one-line progress display on stderr for long analyses: only on a terminal, never in pipes or CI,
// redrawn at most a few times a second so it costs nothing on the hot path. Thread-safe: inputs are
// read on several threads, and problem lines are printed above the progress line, never into it.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace kmsdiag {

class ProgressLine {
 public:
  ProgressLine();  // enabled when stderr is a TTY and $CI is unset
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Reading `input`, `done` inputs finished so far, `records` read in all.
  void update(const std::string& input, uint64_t done, uint64_t records);
  // Erases the line (at the end).
  void clear();
  // Prints one line of other output on stderr, above the progress line.
  void print(const std::string& line);

 private:
  void erase();  // clear() without the lock
  std::mutex m_;
  bool enabled_ = false;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace kmsdiag
