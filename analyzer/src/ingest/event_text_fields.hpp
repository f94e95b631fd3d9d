// What the text event readers share: the label table lookup, the local-time parser, the payload
// line of a KMS message, and the one place a parsed event becomes an `event` Record with exactly
// the fields the XML reader produces (rules/records.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/reader.hpp"
#include "knowledge/knowledge.hpp"
#include "model/record.hpp"

namespace kmsdiag {

// One event as a text export shows it, before it becomes a Record.
struct TextEvent {
  uint64_t line = 0;  // first line of the event's row or block
  std::string event_id, provider, channel, record_id, level, qualifiers, machine, message;
  std::string time_text;  // as written; parsed by make_event_record
  std::vector<std::string> data;
  std::vector<std::pair<std::string, std::string>> named_data;
  std::vector<Field> extra;  // reader-specific fields ("inferred")
};

// Event labels (rules/tables/labels-eventlog.yaml) in every language, compared ignoring case and
// spaces, so a new language is a table edit.
class EventLabels {
 public:
  explicit EventLabels(const Knowledge& kb);
  // Canonical key for a column header / property name / "Label:" (trailing colon ignored); "" when unknown.
  std::string_view key(std::string_view label) const;
  // Canonical key for text matched with its colon kept ("Info:" -> "info"); "" when unknown.
  std::string_view exact_key(std::string_view label) const;
  // "Information" / "情報" / "4" -> "4"; unknown text is returned as written.
  std::string level_number(std::string_view text) const;

 private:
  std::map<std::string, std::string, std::less<>> by_label_;
};

// Splits "Label:   value" (also the full-width colon "："); nullopt when the line has no colon
// or the part before it is not a known label. The key is canonical.
std::optional<std::pair<std::string, std::string>> split_label_line(std::string_view line, const EventLabels& labels);

// Parses the date/time forms the exports write: ISO 8601 (offset honoured), "/Date(ms)/",
// "2024/01/05 9:03:12", "1/5/2024 9:03:12 AM", "2024/01/05 午後 9:03:12". A time without an offset is
// local to the exporting machine; it is read as if it were UTC and `local` is set.
std::optional<int64_t> parse_event_time(std::string_view text, bool& local);

// The KMS payload of a rendered message: the text after "Info:" (same line, else the next non-empty
// line), otherwise the last non-empty line.
std::string payload_line(std::string_view message, const EventLabels& labels);

// Guesses the event id of a bare KMS payload from its field shape (see the .cpp); "" when it fits none.
std::string infer_event_id(std::string_view payload);

// Without positional data, data.0 is the message's payload line (what the XML export's single Data holds).
Record make_event_record(TextEvent&& ev, const EventLabels& labels, std::string_view format, const std::string& path,
                         std::string& problem);

// Stores `value` in the TextEvent member named by the canonical `key` (event_id, provider, time, ...);
// false when the key names no member.
bool set_event_field(TextEvent& ev, std::string_view key, std::string&& value);

// Where a text event reader's results go, shared by the CSV/TSV, pasted and Format-List readers:
// "line N: ..." problems, finished events turned into records, and the counts.
class TextEventOutput {
 public:
  TextEventOutput(const EventLabels& labels, std::string_view format) : labels_(labels), format_(format) {}
  // Starts one input.
  void begin(const std::string& path, RecordSink& sink);
  void problem(uint64_t line, const std::string& message);
  void record(Record&& r);
  // `ev` as a record; `bad_id` is reported instead when its Event ID is not a number.
  void emit(TextEvent&& ev, const std::string& bad_id);
  const std::string& path() const { return path_; }
  // The counts so far (bytes not set).
  const ReadStats& stats() const { return stats_; }
  // The counts of the input, with the bytes the reader consumed.
  ReadStats finish(uint64_t bytes);

 private:
  const EventLabels& labels_;
  std::string format_;
  std::string path_;
  RecordSink* sink_ = nullptr;
  ReadStats stats_;
};

}  // namespace kmsdiag
