#include "ingest/delimited_event_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ingest/event_text_fields.hpp"
#include "ingest/line_reader.hpp"

namespace kmsdiag {
namespace {

constexpr size_t kMaxRow = 1024 * 1024;  // one event's row, quoted newlines included

// Splits one row: quoted cells may hold separators, newlines and doubled quotes.
std::vector<std::string> split_row(std::string_view row, char sep) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < row.size(); ++i) {
    const char c = row[i];
    std::string& cell = cells.back();
    if (quoted) {
      if (c == '"' && i + 1 < row.size() && row[i + 1] == '"')
        cell += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        cell += c;
    } else if (c == sep) {
      cells.emplace_back();
    } else if (c == '"' && trim(cell).empty()) {
      cell.clear();
      quoted = true;
    } else {
      cell += c;
    }
  }
  return cells;
}

// Whether a row is still inside a quoted cell after `text` (counts quotes that open or close cells).
bool ends_inside_quotes(std::string_view text, bool quoted) {
  for (char c : text)
    if (c == '"') quoted = !quoted;  // a doubled "" toggles twice: no net change
  return quoted;
}

// The header's columns as canonical keys ("" for columns the readers do not use).
std::vector<std::string> header_keys(const std::vector<std::string>& cells, const EventLabels& labels) {
  std::vector<std::string> keys;
  for (const auto& c : cells) keys.emplace_back(labels.key(c));
  return keys;
}

bool is_type_line(std::string_view line) { return line.starts_with("#TYPE") || line.starts_with("#type"); }

class DelimitedEventReader final : public Reader {
 public:
  DelimitedEventReader(const Knowledge& kb, char sep, std::string_view format)
      : labels_(kb), sep_(sep), out_(labels_, format) {}

  ReadStats read(ByteSource& in, RecordSink& sink) override {
    LineReader lines(in);
    out_.begin(in.path(), sink);
    std::vector<std::string> keys;
    std::string line, row;
    while (lines.next(line)) {
      if (lines.truncated()) out_.problem(lines.line_number(), lines.truncation_message());
      if (keys.empty()) {  // still looking for the header
        if (trim(line).empty() || is_type_line(line)) continue;
        keys = header_keys(split_row(line, sep_), labels_);
        if (std::find(keys.begin(), keys.end(), "event_id") == keys.end()) {
          out_.problem(lines.line_number(), "header row names no Event ID column; file not read");
          break;
        }
        continue;
      }
      const uint64_t first = lines.line_number();
      row = line;
      bool quoted = ends_inside_quotes(line, false);
      bool too_long = false;
      while (quoted && lines.next(line)) {
        if (row.size() + line.size() + 1 > kMaxRow) {
          too_long = true;
          break;
        }
        row += '\n';
        row += line;
        quoted = ends_inside_quotes(line, quoted);
      }
      if (too_long) {
        // Resynchronise on the next line: an unbalanced quote must not swallow the rest of the file.
        out_.problem(first, "row longer than 1 MiB (unbalanced quote?); skipped");
        continue;
      }
      if (trim(row).empty()) continue;
      emit_row(split_row(row, sep_), keys, first);
    }
    return out_.finish(lines.bytes());
  }

 private:
  void emit_row(std::vector<std::string>&& cells, const std::vector<std::string>& keys, uint64_t line) {
    TextEvent ev;
    ev.line = line;
    const bool has_message = std::find(keys.begin(), keys.end(), "message") != keys.end();
    for (size_t i = 0; i < cells.size(); ++i) {
      // Event Viewer writes the description as an extra column the header does not name.
      const std::string key = i < keys.size() ? keys[i] : (!has_message && i == keys.size() ? "message" : "");
      // Level (a number) and LevelDisplayName (text) share a key: the first column wins.
      if (key == "level" && !ev.level.empty()) continue;
      set_event_field(ev, key, std::move(cells[i]));
    }
    const std::string bad_id =
        fmt::format("row has no numeric Event ID ('{}'); skipped", trim(ev.event_id).substr(0, 40));
    out_.emit(std::move(ev), bad_id);
  }

  EventLabels labels_;
  char sep_;
  TextEventOutput out_;
};

}  // namespace

int detect_delimited_events(std::string_view head, const Knowledge& kb, char separator) {
  const EventLabels labels(kb);
  while (!head.empty()) {
    const size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || is_type_line(line)) continue;
    const auto keys = header_keys(split_row(line, separator), labels);
    const bool has_id = std::find(keys.begin(), keys.end(), "event_id") != keys.end();
    const auto known = std::count_if(keys.begin(), keys.end(), [](const std::string& k) { return !k.empty(); });
    return has_id && known >= 3 ? 85 : 0;
  }
  return 0;
}

std::unique_ptr<Reader> make_delimited_event_reader(const Knowledge& kb, char separator, std::string_view format) {
  return std::make_unique<DelimitedEventReader>(kb, separator, format);
}

}  // namespace kmsdiag
