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

// The order of day and month in a file's dates written with the year last ("08/03/2024").
enum class DayMonth { unknown, day_first, month_first };

// What one date says about its file's order: `proves` it (a number over 12; the German '.'), or is
// `ambiguous` and at most `hints` at it (en-US writes a 12-hour clock and no zero padding, en-GB
// zero-padded day and month with a 24-hour clock). Nothing for dates with the year first.
struct DateOrderEvidence {
  DayMonth proves = DayMonth::unknown;
  DayMonth hints = DayMonth::unknown;
  bool ambiguous = false;
};
DateOrderEvidence date_order_evidence(std::string_view text);

// Parses the date/time forms the exports write: ISO 8601 (offset honoured), "/Date(ms)/",
// "2024/01/05 9:03:12", "1/5/2024 9:03:12 AM", "2024/01/05 午後 9:03:12". A time without an offset is
// local to the exporting machine; it is read as if it were UTC and `local` is set. A date that fits
// both orders is read in `order` (month first when unknown).
std::optional<int64_t> parse_event_time(std::string_view text, bool& local, DayMonth order = DayMonth::unknown);

// The KMS payload of a rendered message: the text after "Info:" (same line, else the next non-empty
// line), otherwise the last non-empty line.
std::string payload_line(std::string_view message, const EventLabels& labels);

// Guesses the event id of a bare KMS payload from its field shape (see the .cpp); "" when it fits none.
std::string infer_event_id(std::string_view payload);

// Without positional data, data.0 is the message's payload line (what the XML export's single Data holds).
Record make_event_record(TextEvent&& ev, const EventLabels& labels, std::string_view format, const std::string& path,
                         std::string& problem, DayMonth order = DayMonth::unknown);

// Stores `value` in the TextEvent member named by the canonical `key` (event_id, provider, time, ...);
// false when the key names no member.
bool set_event_field(TextEvent& ev, std::string_view key, std::string&& value);

// Where a text event reader's results go, shared by the CSV/TSV, pasted, JSON and Format-List readers:
// "line N: ..." problems, finished events turned into records, and the counts.
//
// Dates like 08/03/2024 read differently in en-US and en-GB, so the order is decided once per file:
// by the first date that proves it (15/03/2024), and records whose dates fit both orders wait for it
// (up to kMaxWaiting, then the dates' writing style decides). When no date proves the order and it
// is not plainly en-US (month first, 12-hour clock or no zero padding), a problem line says which
// order was chosen and why; a later date that contradicts the order is reported.
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
  // Delivers the records waiting for the date order, deciding it from what was seen.
  void flush();
  // The counts of the input, with the bytes the reader consumed (flushes first).
  ReadStats finish(uint64_t bytes);

  static constexpr size_t kMaxWaiting = 4096;

 private:
  struct Waiting {
    Record record;
    std::string time_text;  // to read again once the order is known; "" when it does not depend on it
  };
  void decide(DayMonth order, const std::string& why);  // `why` is said when dates were ambiguous

  const EventLabels& labels_;
  std::string format_;
  std::string path_;
  RecordSink* sink_ = nullptr;
  ReadStats stats_;
  DayMonth order_ = DayMonth::unknown;
  std::vector<Waiting> waiting_;
  size_t day_first_hints_ = 0, month_first_hints_ = 0;
  uint64_t ambiguous_line_ = 0;  // the first date that fits both orders
  std::string ambiguous_text_;
  bool contradiction_reported_ = false;
};

}  // namespace kmsdiag
