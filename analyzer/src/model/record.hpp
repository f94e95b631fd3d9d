// The one normalized record type every stage reads and writes.
//
// Ingest turns each input unit (an event, a block of command output) into a Record of kind "event",
// "slmgr", ...; interpreters turn those into KMS facts ("kms.host-request", ...); correlation adds
// derived records ("activation.attempt", "kms.cmid", ...); the rule engine matches on kind and fields.
// Values are kept as text, packed (FieldList): rules compare them as numbers on demand (to_number), and
// their declared types (rules/schema.yaml) say how; a new field// needs no schema change anywhere.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/field_list.hpp"
#include "model/shared_text.hpp"

namespace kmsdiag {

inline constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

// The times a record may carry: 1990-01-01 up to (not including) 2200-01-01 UTC. KMS dates from 2006; a time
// outside is damage (a .NET "/Date(-9223372036854775807)/"), and the pipeline reads such a record as undated
// when it enters (cli/analysis_pipeline.cpp). Inside, adding or subtracting any window of days or years cannot
// overflow, so correlation and the rules do time arithmetic without checks of their own.
inline constexpr int64_t kEarliestTimeMs = 631'152'000'000;  // 1990-01-01T00:00:00Z
inline constexpr int64_t kLatestTimeMs = 7'258'118'400'000;  // 2200-01-01T00:00:00Z
inline constexpr bool plausible_time(int64_t ms) { return ms >= kEarliestTimeMs && ms < kLatestTimeMs; }

// Where a record came from, precise enough for a person to find it again.
struct SourceRef {
  SharedText path;        // input file; "bundle.zip!dir/file.evtx" for an archive member
  SharedText unit;        // what position counts: "record", "line", "byte", "" for the whole file
  uint64_t position = 0;  // 1-based record/line number, or byte offset
  std::string record_id;  // the event's own EventRecordID when it has one

  std::string describe() const;  // "path:12", "path record 5 (EventRecordID 812)"
};

struct Record {
  SharedText kind;
  SourceRef source;
  int64_t time_ms = kNoTime;  // UTC milliseconds since the Unix epoch
  SharedText machine;         // the computer this evidence describes
  FieldList fields;

  std::optional<std::string_view> find(std::string_view key) const { return fields.find(key); }
  std::string_view get(std::string_view key) const { return fields.find(key).value_or(std::string_view()); }
  bool has(std::string_view key) const { return fields.find(key).has_value(); }
  void set(std::string_view key, std::string_view value) { fields.assign(key, value); }  // replaces
  // Bytes this record occupies, heap included (an estimate: allocator overhead is not counted).
  size_t footprint() const;
};

// An input that could not be (fully) read. Always names the file and the position.
struct Problem {
  SourceRef where;
  std::string message;
  std::string describe() const;  // one line: "path:12: message"
};

// "0xC004F074" (hex), "-12", "3.5" -> number; anything else -> nullopt.
std::optional<double> to_number(std::string_view text);

// ISO 8601 "2023-05-24T01:21:53.1234567Z" (fraction and Z optional) -> UTC ms.
std::optional<int64_t> parse_iso8601(std::string_view text);
// Civil UTC date/time -> ms since epoch (no validation beyond ranges).
int64_t utc_ms(int year, int month, int day, int hour, int minute, int second, int millis = 0);
// UTC ms -> "2023-05-24T01:21:53Z" (".123" only when the millis are non-zero).
std::string format_time(int64_t ms);

// Lower-cased ASCII copy (GUIDs, hex codes and names compare case-insensitively).
std::string ascii_lower(std::string_view text);
// Upper-cased ASCII copy ("ERROR" as a severity label).
std::string ascii_upper(std::string_view text);
// Text without leading/trailing ASCII whitespace.
std::string_view trim(std::string_view text);

}  // namespace kmsdiag
