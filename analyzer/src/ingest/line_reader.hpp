// Bounded line-by-line reading of a UTF-8 text source, shared by the text event readers.
//
// Lines end at LF (a preceding CR is dropped). A line longer than the cap is cut at the cap and
// the rest of it is skipped, so one giant line costs bounded memory and the reader carries on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/byte_source.hpp"
#include "ingest/reader.hpp"

namespace kmsdiag {

class LineReader {
 public:
  static constexpr size_t kDefaultMaxLine = 1024 * 1024;

  explicit LineReader(ByteSource& in, size_t max_line = kDefaultMaxLine) : in_(in), max_line_(max_line) {}

  // The next line without its terminator; false at end of input.
  bool next(std::string& line);

  uint64_t line_number() const { return line_no_; }  // 1-based number of the line last returned
  bool truncated() const { return truncated_; }      // the line last returned was longer than the cap
  uint64_t bytes() const { return bytes_; }          // bytes consumed so far

  // "line longer than 64 KiB; the rest of it was skipped": the words every reader uses for a cut line.
  std::string truncation_message() const;
  // When the line last returned was cut: reports it (file, line) to the sink and counts it.
  void report_if_truncated(RecordSink& sink, ReadStats& stats) const;

 private:
  bool fill();

  ByteSource& in_;
  size_t max_line_;
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  uint64_t line_no_ = 0;
  uint64_t bytes_ = 0;
  bool truncated_ = false;
};

}  // namespace kmsdiag
