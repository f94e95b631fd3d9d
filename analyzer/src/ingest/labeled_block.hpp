// Building blocks shared by the command-output readers: a record under construction with bounded
// size, and the text-wrap rule of the Windows console.
#pragma once

#include <string>
#include <string_view>

#include "ingest/reader.hpp"
#include "model/record.hpp"

namespace kmsdiag {

// One record being assembled from the lines of a block. Bounded: at most kMaxFields fields of at
// most kMaxValue bytes each, so a hostile input cannot grow it without limit.
class BlockRecord {
 public:
  static constexpr size_t kMaxFields = 128;
  static constexpr size_t kMaxValue = 4096;

  bool open() const { return open_; }
  // Starts a record of `kind` at `line` of `path` (any previous content is dropped).
  void start(std::string kind, const std::string& path, uint64_t line, std::string_view format);
  // Sets a field; false when the field cap was hit (the caller reports it once).
  bool set(std::string_view key, std::string_view value);
  // Appends a wrapped continuation to a field (with `sep` between), bounded like set().
  void append(std::string_view key, std::string_view more, std::string_view sep);
  std::string_view get(std::string_view key) const { return record_.get(key); }
  // Hands the record to the sink and closes it; no-op when not open.
  bool emit(RecordSink& sink);
  uint64_t line() const { return record_.source.position; }

 private:
  Record record_;
  bool open_ = false;
};

// The Windows console wraps long lines at its width (80 columns before Windows 10, 120 since): a
// line that filled the width continues on the next one without a separator. A line of another
// length was not cut by the console (redirected output, a ticket's own line breaks), so what follows
// it is a new line even when it is long.
bool filled_console_width(std::string_view line);

}  // namespace kmsdiag
