// Tickets paste the output of several tools into one text file: `slmgr /dli` and then the event
// block that goes with it, an event and then `/dlv`. Format detection picks one format per file, so
// the readers of those formats read a file as parts: each line goes to the parser of the part it is
// in, and a line that can only open a part of another format (an event header's "Source:", slmgr's
// "Name:" after a blank line) switches parts. Each parser sees the lines it would see were its part
// a file of its own, so its records are the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/reader.hpp"
#include "knowledge/knowledge.hpp"

namespace kmsdiag {

// A reader of one line-oriented text format, fed line by line.
class LineParser {
 public:
  virtual ~LineParser() = default;
  // Longest line the format needs whole (longer lines are cut and reported).
  virtual size_t max_line() const = 0;
  // Starts one input.
  virtual void begin(const std::string& path, RecordSink& sink) = 0;
  // One line without its terminator and its 1-based number in the input.
  virtual void line(std::string_view text, uint64_t no) = 0;
  // The part this parser was reading ended: emits what is still open.
  virtual void end_part() = 0;
  virtual void problem(uint64_t no, const std::string& message) = 0;
  // True when `text`, met inside another format's part, opens a part of this format.
  // `after_blank`: the line before was blank (or there was none).
  virtual bool opens_part(std::string_view text, bool after_blank) const = 0;
  // Records and problems delivered so far.
  virtual ReadStats stats() const = 0;
};

// The text formats that share a file: slmgr output and pasted events.
std::unique_ptr<LineParser> make_slmgr_parser(const Knowledge& kb);
std::unique_ptr<LineParser> make_pasted_event_parser(const Knowledge& kb);

// The reader of the mixable format `first` ("slmgr-text", "pasted-event"): it starts with that
// format's parser and switches to another's where a part of it begins.
std::unique_ptr<Reader> make_mixed_text_reader(const Knowledge& kb, std::string_view first);

}  // namespace kmsdiag
