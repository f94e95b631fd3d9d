// Records written one after another into one buffer, and read back in order into a reused Record.
//
// A part of an input interpreted on a worker thread hands its facts to the thread that finishes parts in
// order. Moved across as Records, every fact would be several heap blocks allocated on one thread and freed
// on the other; with the single malloc arena an analysis runs with (cli/analysis_pipeline.cpp) each such
// block takes the arena's lock, and two threads doing so a million times over contend: a 1,000,000-request
// host log took 17 s with two jobs against 8 s with one. A tape crosses as one buffer, and reading it back
// into the same Record allocates nothing once that Record has grown to the largest fact.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "model/record.hpp"

namespace kmsdiag {

class RecordTape {
 public:
  void push(const Record& r);
  // The next record, written over `out` (kind, source, time, machine and fields all replaced); false after
  // the last one.
  bool next(Record& out);
  bool empty() const { return bytes_.empty(); }
  // Empties the tape and keeps its buffer: a tape reused from one part to the next stops allocating once
  // it has grown to the largest part.
  void clear() {
    bytes_.clear();
    read_ = 0;
  }

 private:
  void put(std::string_view text);
  void put_number(uint64_t n);
  std::string_view take(size_t size);
  uint64_t take_number();

  std::string bytes_;
  size_t read_ = 0;
};

}  // namespace kmsdiag
