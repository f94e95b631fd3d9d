#include "ingest/event_json_reader.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

#include "ingest/event_text_fields.hpp"

namespace kmsdiag {
namespace {

constexpr size_t kMaxObject = 4 * 1024 * 1024;  // one event object
// Nesting inside one event object: ConvertTo-Json writes 2 levels by default (-Depth up to 100), and
// the JSON library recurses on nesting when it writes or compares a value, so deeper objects are
// refused before they are parsed.
constexpr int64_t kMaxDepth = 100;
constexpr size_t kBlock = 64 * 1024;

using nlohmann::json;

// The wrapped value of a PowerShell 7 wrapper object ({"value": ..., "DateTime": ...}), or nullptr.
const json* wrapped(const json& v) {
  if (!v.is_object()) return nullptr;
  for (const char* k : {"value", "Value", "DateTime"}) {
    const auto it = v.find(k);
    if (it != v.end()) return &*it;
  }
  return nullptr;
}

// A JSON scalar as record text: strings as they are, numbers and booleans as JSON writes them.
std::string scalar_text(const json& value) {
  const json* v = &value;
  while (const json* inner = wrapped(*v)) v = inner;  // a loop: wrappers may nest
  if (v->is_string()) return v->get<std::string>();
  if (v->is_null()) return "";
  return v->dump();
}

class EventJsonReader final : public Reader {
 public:
  explicit EventJsonReader(const Knowledge& kb) : labels_(kb), out_(labels_, "event-json") {}

  ReadStats read(ByteSource& in, RecordSink& sink) override {
    out_.begin(in.path(), sink);
    uint64_t bytes = 0;
    std::string block(kBlock, '\0'), object;
    uint64_t line = 1, object_line = 0;
    int64_t depth = 0;          // nesting depth of { and [ outside strings
    int64_t object_depth = -1;  // depth at which the current event object opened, -1 when none
    bool in_string = false, escape = false, oversized = false, too_deep = false;
    const auto problem = [&](uint64_t at, const std::string& msg) { out_.problem(at, msg); };
    size_t got;
    while ((got = in.read(block.data(), block.size())) > 0) {
      bytes += got;
      for (size_t i = 0; i < got; ++i) {
        const char c = block[i];
        if (c == '\n') ++line;
        if (object_depth >= 0 && !oversized && !too_deep) {
          if (object.size() < kMaxObject)
            object += c;
          else
            oversized = true;
        }
        if (in_string) {
          if (escape)
            escape = false;
          else if (c == '\\')
            escape = true;
          else if (c == '"')
            in_string = false;
          continue;
        }
        if (c == '"') {
          in_string = true;
        } else if (c == '{' || c == '[') {
          // Events are the objects at the top level or directly inside the top-level array.
          if (c == '{' && object_depth < 0 && depth <= 1) {
            object_depth = depth;
            object_line = line;
            object.assign(1, c);
            oversized = too_deep = false;
          }
          ++depth;
          if (object_depth >= 0 && depth - object_depth > kMaxDepth) too_deep = true;
        } else if (c == '}' || c == ']') {
          --depth;
          if (object_depth >= 0 && depth == object_depth) {
            if (too_deep)
              problem(object_line, fmt::format("event object nested deeper than {} levels; skipped", kMaxDepth));
            else if (oversized)
              problem(object_line, "event object larger than 4 MiB; skipped");
            else
              emit(object, object_line);
            object_depth = -1;
            object.clear();
          }
          if (depth < 0) {
            problem(line, "unbalanced closing bracket; the rest of the file was not read");
            return out_.finish(bytes);
          }
        }
      }
    }
    if (object_depth >= 0) problem(object_line, "event object not closed before the end of the file; skipped");
    return out_.finish(bytes);
  }

 private:
  void emit(const std::string& text, uint64_t line) {
    const json obj = json::parse(text, nullptr, false);
    if (obj.is_discarded() || !obj.is_object()) {
      out_.problem(line, "malformed JSON event object; skipped");
      return;
    }
    TextEvent ev;
    ev.line = line;
    for (const auto& [name, value] : obj.items()) {
      const std::string_view key = labels_.key(name);
      if (key == "event_id")
        ev.event_id = scalar_text(value);
      else if (key == "provider")
        ev.provider = scalar_text(value);
      else if (key == "channel")
        ev.channel = scalar_text(value);
      else if (key == "record_id")
        ev.record_id = scalar_text(value);
      else if (key == "machine")
        ev.machine = scalar_text(value);
      else if (key == "qualifiers")
        ev.qualifiers = scalar_text(value);
      else if (key == "message")
        ev.message = scalar_text(value);
      else if (key == "time")
        ev.time_text = scalar_text(value);
      // Level (a number) and LevelDisplayName (localized text) both map here: the number wins.
      else if (key == "level" && (value.is_number() || ev.level.empty()))
        ev.level = scalar_text(value);
      else if (key == "properties" && value.is_array()) {
        // Get-WinEvent: [{"Value": ...}]; Get-EventLog ReplacementStrings: plain strings.
        for (const auto& p : value)
          ev.data.push_back(p.is_object() && p.contains("Value") ? scalar_text(p["Value"]) : scalar_text(p));
      }
    }
    out_.emit(std::move(ev), "event object has no numeric Id; skipped");
  }

  EventLabels labels_;
  TextEventOutput out_;
};

// An array or object whose first keys include an event id and the provider or message.
int detect_json(std::string_view head, const Knowledge& kb) {
  const std::string_view t = trim(head);
  if (t.empty() || (t.front() != '[' && t.front() != '{')) return 0;
  const EventLabels labels(kb);
  bool id = false, other = false;
  // Scan the quoted keys ("Name":) of the head without parsing it (it is cut mid-object).
  for (size_t i = 0; (i = t.find('"', i)) != std::string_view::npos;) {
    const size_t end = t.find('"', i + 1);
    if (end == std::string_view::npos) break;
    const std::string_view name = t.substr(i + 1, end - i - 1);
    const std::string_view after = trim(t.substr(end + 1, 4));
    if (!after.empty() && after.front() == ':') {
      const std::string_view key = labels.key(name);
      id = id || key == "event_id";
      other = other || key == "provider" || key == "message" || key == "channel";
    }
    i = end + 1;
  }
  return id && other ? 85 : 0;
}

}  // namespace

FormatInfo event_json_format() {
  return FormatInfo{"event-json", detect_json,
                    [](const Knowledge& kb) { return std::make_unique<EventJsonReader>(kb); }, true};
}

}  // namespace kmsdiag
