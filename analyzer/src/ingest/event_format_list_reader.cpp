#include "ingest/event_format_list_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "ingest/event_text_fields.hpp"
#include "ingest/line_reader.hpp"

namespace kmsdiag {
namespace {

constexpr size_t kMaxValue = 1024 * 1024;

struct Property {
  std::string_view name, value;
};

// "TimeCreated  : 1/5/2024 9:03:12 AM" -> {TimeCreated, 1/5/2024 9:03:12 AM}. Property names are
// .NET identifiers starting in column 0; Format-List pads them so " : " always follows.
std::optional<Property> property_line(std::string_view line) {
  if (line.empty() || !std::isalpha(static_cast<unsigned char>(line[0]))) return std::nullopt;
  size_t i = 0;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_' || line[i] == '.'))
    ++i;
  const size_t name_end = i;
  while (i < line.size() && line[i] == ' ') ++i;
  if (i == name_end || i >= line.size() || line[i] != ':') return std::nullopt;
  return Property{line.substr(0, name_end), trim(line.substr(i + 1))};
}

class FormatListReader final : public Reader {
 public:
  explicit FormatListReader(const Knowledge& kb) : labels_(kb), out_(labels_, "event-format-list") {}

  ReadStats read(ByteSource& in, RecordSink& sink) override {
    out_.begin(in.path(), sink);
    LineReader lines(in);
    std::string line;
    bool blank_before = false;
    while (lines.next(line)) {
      const uint64_t no = lines.line_number();
      if (lines.truncated()) out_.problem(no, lines.truncation_message());
      if (trim(line).empty()) {
        blank_before = true;
        continue;
      }
      if (const auto prop = property_line(line)) {
        const std::string key(labels_.key(prop->name));
        // A block ends at a blank line followed by a property, or when a property name repeats.
        if (blank_before || seen(prop->name)) flush();
        if (!open_) start(no);
        names_.emplace_back(prop->name);
        current_ = key;
        set(key, std::string(prop->value));
      } else if (open_ && !current_.empty()) {
        // Continuation of the value above (indented); blank lines inside it are kept as line breaks.
        std::string& v = value(current_);
        if (v.size() + line.size() < kMaxValue) v.append(blank_before ? "\n\n" : "\n").append(trim(line));
      }
      blank_before = false;
    }
    flush();
    return out_.finish(lines.bytes());
  }

 private:
  bool seen(std::string_view name) const { return std::find(names_.begin(), names_.end(), name) != names_.end(); }

  std::string& value(const std::string& key) {
    for (auto& f : props_)
      if (f.key == key) return f.value;
    props_.push_back({key, ""});
    return props_.back().value;
  }

  void set(const std::string& key, std::string v) {
    if (key.empty()) return;
    // Level (a number) and LevelDisplayName (text) share a key: keep the number.
    std::string& slot = value(key);
    if (key == "level" && !slot.empty() && !to_number(v)) return;
    slot = std::move(v);
  }

  void start(uint64_t no) {
    open_ = true;
    line_ = no;
    props_.clear();
    names_.clear();
  }

  void flush() {
    if (!open_) return;
    open_ = false;
    TextEvent ev;
    ev.line = line_;
    for (auto& [key, v] : props_) set_event_field(ev, key, std::move(v));
    props_.clear();
    out_.emit(std::move(ev), "property block has no numeric Id; skipped");
  }

  EventLabels labels_;
  TextEventOutput out_;
  bool open_ = false;
  uint64_t line_ = 0;
  std::string current_;             // key of the property a continuation line extends ("" when ignored)
  std::vector<Field> props_;        // canonical key -> value, of the current block
  std::vector<std::string> names_;  // property names as written, of the current block
};

// Property lines naming the event id and the provider or message.
int detect_format_list(std::string_view head, const Knowledge& kb) {
  const EventLabels labels(kb);
  bool id = false, other = false;
  for (int n = 0; n < 200 && !head.empty(); ++n) {
    const size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto prop = property_line(line);
    if (!prop || line.find(" :") == std::string_view::npos) continue;
    const std::string_view key = labels.key(prop->name);
    id = id || key == "event_id";
    other = other || key == "provider" || key == "message";
  }
  return id && other ? 75 : 0;
}

}  // namespace

FormatInfo event_format_list_format() {
  return FormatInfo{"event-format-list", detect_format_list,
                    [](const Knowledge& kb) { return std::make_unique<FormatListReader>(kb); }, true};
}

}  // namespace kmsdiag
