// event-layouts.yaml: strict like every table (yaml_table.hpp), plus the checks that keep the interpreter
// simple: a field is either positional or a constant, composite types carry their fixed field names,
// strategy options appear only with their strategy.
#include "knowledge/event_layouts.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "knowledge/knowledge.hpp"
#include "knowledge/yaml_table.hpp"
#include "model/record.hpp"

namespace kmsdiag {

namespace {

using Type = FieldLayout::Type;
using Required = FieldLayout::Required;

// Payloads hold a handful of fields; a larger position is a typo, and would size the per-event
// message-locator vector.
constexpr size_t kMaxPosition = 64;

template <typename T>
T pick(const YamlTable& t, const YAML::Node& node, std::initializer_list<std::pair<std::string_view, T>> choices,
       std::string_view what) {
  const std::string s = t.text(node);
  for (const auto& [name, value] : choices) {
    if (s == name) return value;
  }
  t.fail(node, fmt::format("unknown {} '{}'", what, s));
}

size_t position(const YamlTable& t, const YAML::Node& node) {
  const std::string s = t.text(node);
  size_t out = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size() || out >= kMaxPosition) {
    t.fail(node, fmt::format("position '{}' must be a number below {}", s, kMaxPosition));
  }
  return out;
}

MessageLocator message_locator(const YamlTable& t, const YAML::Node& node) {
  t.expect_map(node, "message locator");
  if (node.size() != 1) t.fail(node, "a message locator has exactly one of after, line, from, quoted");
  const auto kv = *node.begin();
  MessageLocator loc;
  loc.kind = pick<MessageLocator::Kind>(t, kv.first,
                                        {{"after", MessageLocator::Kind::after},
                                         {"line", MessageLocator::Kind::line},
                                         {"from", MessageLocator::Kind::from},
                                         {"quoted", MessageLocator::Kind::quoted}},
                                        "message locator");
  loc.needle = t.text(kv.second);
  if (loc.needle.empty()) t.fail(kv.second, "the text to look for must not be empty");
  return loc;
}

// Composite types write fields whose names the rules and correlation expect.
std::string_view fixed_name(Type type) {
  switch (type) {
    case Type::product:
      return "act_id";
    case Type::license_status:
      return "license_status";
    case Type::host_port:
      return "kms_host";
    default:
      return "";
  }
}

FieldLayout field_layout(const YamlTable& t, const YAML::Node& node) {
  t.expect_keys(node, {"name"}, {"at", "key", "value", "type", "required", "values"});
  FieldLayout f;
  f.name = t.text(node, "name");
  if (f.name.empty()) t.fail(node, "name must not be empty");
  if (node["at"].IsDefined() == node["value"].IsDefined()) t.fail(node, "a field has exactly one of at, value");
  if (node["at"]) f.at = position(t, node["at"]);
  f.value = t.text_or(node, "value", "");
  f.key = t.text_or(node, "key", "");
  if (node["key"] && (!f.at || f.key.empty())) t.fail(node["key"], "key needs at and must not be empty");
  if (node["type"]) {
    f.type = pick<Type>(t, node["type"],
                        {{"text", Type::text},
                         {"hresult", Type::hresult},
                         {"error_code", Type::error_code},
                         {"status", Type::status},
                         {"guid", Type::guid},
                         {"product", Type::product},
                         {"license_status", Type::license_status},
                         {"host_port", Type::host_port},
                         {"iso_time", Type::iso_time},
                         {"spp_date", Type::spp_date}},
                        "type");
  }
  if (const std::string_view fixed = fixed_name(f.type); !fixed.empty() && f.name != fixed) {
    t.fail(node["name"], fmt::format("a field of this type must be named '{}'", fixed));
  }
  if (node["required"]) {
    f.required = pick<Required>(t, node["required"], {{"malformed", Required::malformed}, {"ignore", Required::ignore}},
                                "requirement");
    if (!f.at) t.fail(node["required"], "a constant cannot be required");
  }
  if (const YAML::Node values = node["values"]) {
    t.expect_map(values, "values");
    for (const auto& kv : values) f.values.emplace_back(t.text(kv.first), t.text(kv.second));
  }
  const bool code_type = f.type == Type::hresult || f.type == Type::error_code;
  if (!f.at && code_type && Knowledge::canonical_code(f.value).empty()) {
    t.fail(node["value"], fmt::format("'{}' is not an HRESULT", f.value));
  }
  return f;
}

uint32_t event_id(const YamlTable& t, const YAML::Node& entry) {
  const int id = t.integer(entry, "id");
  if (id < 0 || id > 65535) t.fail(entry["id"], "id must be an event id (0-65535)");
  return static_cast<uint32_t>(id);
}

}  // namespace

const EventLayout* EventLayouts::find(std::string_view event_id) const {
  event_id = trim(event_id);
  uint32_t id = 0;
  const auto [end, ec] = std::from_chars(event_id.data(), event_id.data() + event_id.size(), id);
  if (ec != std::errc() || end != event_id.data() + event_id.size()) return nullptr;
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

bool EventLayouts::add(EventLayout layout) {
  const uint32_t id = layout.id;
  return by_id_.emplace(id, std::move(layout)).second;
}

void EventLayouts::count_only_unread(const std::function<bool(const EventLayout&)>& read) {
  for (auto& [id, layout] : by_id_) {
    const bool any_payload = layout.payload == EventLayout::Payload::data &&
                             std::none_of(layout.fields.begin(), layout.fields.end(), [](const FieldLayout& f) {
                               return f.required != FieldLayout::Required::none;
                             });
    layout.counted_only = any_payload && !read(layout);
  }
}

void load_event_layouts(const YamlTable& t, Knowledge& kb) {
  t.expect_keys(t.root(), {"events"});
  const YAML::Node events = t.root()["events"];
  t.expect_sequence(events, "events");
  for (const auto& entry : events) {
    t.expect_keys(entry, {"id", "kind", "payload", "fields"}, {"min_fields", "message"});
    EventLayout layout;
    layout.id = event_id(t, entry);
    layout.kind = t.text(entry, "kind");
    if (layout.kind.empty()) t.fail(entry, "kind must not be empty");
    layout.payload = pick<EventLayout::Payload>(
        t, entry["payload"], {{"kms-list", EventLayout::Payload::kms_list}, {"data", EventLayout::Payload::data}},
        "payload");
    if (layout.payload == EventLayout::Payload::kms_list) {
      if (!entry["min_fields"] || entry["message"]) t.fail(entry, "payload kms-list takes min_fields, not message");
      layout.min_fields = position(t, entry["min_fields"]);
      if (layout.min_fields == 0) t.fail(entry["min_fields"], "min_fields must be at least 1");
    } else {
      if (entry["min_fields"]) t.fail(entry["min_fields"], "min_fields is for payload kms-list");
      if (const YAML::Node message = entry["message"]) {
        t.expect_map(message, "message");
        for (const auto& kv : message) {
          const size_t at = position(t, kv.first);
          if (layout.message.size() <= at) layout.message.resize(at + 1);
          layout.message[at] = message_locator(t, kv.second);
        }
      }
    }
    const YAML::Node fields = entry["fields"];
    t.expect_sequence(fields, "fields");
    for (const auto& node : fields) {
      FieldLayout f = field_layout(t, node);
      const bool twice = std::any_of(layout.fields.begin(), layout.fields.end(),
                                     [&](const FieldLayout& other) { return other.name == f.name; });
      if (twice) t.fail(node, fmt::format("field '{}' listed twice", f.name));
      layout.fields.push_back(std::move(f));
    }
    if (!kb.event_layouts.add(std::move(layout))) t.fail(entry["id"], "event id listed twice");
  }
}

}  // namespace kmsdiag
