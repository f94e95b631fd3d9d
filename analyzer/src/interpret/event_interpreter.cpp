// The one licensing-event reader: extract the positional payload the layout names, then write each field
// in table order through its type's setter. What stays code here is what a table cannot say: the payload
// extraction strategies, the message locators and the field types.
#include "interpret/event_interpreter.hpp"

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>

#include "interpret/fact_fields.hpp"
#include "interpret/payload_fields.hpp"

namespace kmsdiag {

namespace {

using Type = FieldLayout::Type;
using Required = FieldLayout::Required;

std::string_view locate(const Record& ev, const MessageLocator& loc) {
  switch (loc.kind) {
    case MessageLocator::Kind::after:
      return message_after(ev, loc.needle);
    case MessageLocator::Kind::line:
      return message_line_with(ev, loc.needle);
    case MessageLocator::Kind::from: {
      const std::string_view line = message_line_with(ev, loc.needle);
      const size_t at = line.find(loc.needle);
      return at == std::string_view::npos ? std::string_view() : line.substr(at);
    }
    case MessageLocator::Kind::quoted:
      return first_quoted(message_line_with(ev, loc.needle));
  }
  return {};
}

// The key=value list of one payload position, parsed once for all the fields that read it.
struct KeyValueCache {
  size_t at = SIZE_MAX;
  std::map<std::string_view, std::string_view> entries;
};

// The raw text of a positional field in `values`; "" when the position or key is absent.
std::string_view positional_text(const FieldLayout& f, const std::vector<std::string_view>& values, KeyValueCache& kv) {
  if (*f.at >= values.size()) return "";
  const std::string_view text = values[*f.at];
  if (f.key.empty()) return text;
  if (kv.at != *f.at) {
    kv.entries = key_values(text);
    kv.at = *f.at;
  }
  const auto it = kv.entries.find(f.key);
  return it == kv.entries.end() ? std::string_view() : it->second;
}

// The value the field's type receives: the raw text, or its `values` translation. nullopt when the
// table translates values and this one is not listed.
std::optional<std::string_view> field_value(const FieldLayout& f, std::string_view raw) {
  if (f.values.empty()) return raw;
  for (const auto& [from, to] : f.values) {
    if (raw == from) return std::string_view(to);
  }
  return std::nullopt;
}

bool satisfies(const FieldLayout& f, std::optional<std::string_view> value) {
  if (f.required == Required::none) return true;
  if (!value) return false;
  if (f.required == Required::ignore) return !value->empty();
  switch (f.type) {
    case Type::hresult:
    case Type::error_code:
    case Type::status:
      return !Knowledge::canonical_code(*value).empty();
    case Type::guid:
    case Type::product: {
      Knowledge::GuidText buf;
      return !Knowledge::canonical_guid(*value, buf).empty();
    }
    case Type::iso_time:
      return parse_iso8601(*value).has_value();
    default:
      return !value->empty();
  }
}

// "2023/11/20:01:21:13" (8230 GraceEndDate, UTC) -> ISO 8601; "" when it does not have that shape.
std::string slash_date_to_iso(std::string_view s) {
  int y, mo, d, h, mi, sec;
  char tail;
  if (std::sscanf(std::string(s).c_str(), "%4d/%2d/%2d:%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &tail) != 6) {
    return "";
  }
  return format_time(utc_ms(y, mo, d, h, mi, sec));
}

void set_field(Record& fact, const FieldLayout& f, std::string_view value, const Knowledge& kb) {
  switch (f.type) {
    case Type::text:
      fact.set(f.name, value);
      return;
    case Type::hresult:
      set_hresult(fact, value, kb, f.name);
      return;
    case Type::error_code:
      if (Knowledge::canonical_code(value) != "0x00000000") set_hresult(fact, value, kb, f.name);
      return;
    case Type::status:
      if (!set_hresult(fact, value, kb, f.name)) fact.set(f.name, value);
      return;
    case Type::guid: {
      Knowledge::GuidText buf;
      fact.set(f.name, guid_or_raw(value, buf));
      return;
    }
    case Type::product:
      set_product(fact, value, kb);
      return;
    case Type::license_status:
      set_license_status(fact, value, kb);
      return;
    case Type::host_port:
      set_kms_host(fact, value);
      return;
    case Type::iso_time:
      if (const auto ms = parse_iso8601(value)) fact.set(f.name, format_time(*ms));
      return;
    case Type::spp_date:
      fact.set(f.name, slash_date_to_iso(value));
      return;
  }
}

// Data is read when it holds every required field; otherwise (an export with only the rendered message,
// or Data laid out another way) each position comes from its message locator, or is empty.
std::vector<std::string_view> data_payload(const EventLayout& layout, const Record& event) {
  std::vector<std::string_view> data = data_values(event);
  for (std::string_view& value : data) value = trim(value);
  bool from_data = !data.empty();
  KeyValueCache kv;
  for (const FieldLayout& f : layout.fields) {
    if (from_data && f.at && !satisfies(f, field_value(f, positional_text(f, data, kv)))) from_data = false;
  }
  if (!from_data) data.clear();
  const size_t found = data.size();
  if (layout.message.size() > found) data.resize(layout.message.size());
  for (size_t at = found; at < layout.message.size(); ++at) {
    if (layout.message[at]) data[at] = locate(event, *layout.message[at]);
  }
  return data;
}

}  // namespace

EventOutcome interpret_event(const EventLayout& layout, const Record& event, const Knowledge& kb,
                             std::vector<Record>& out) {
  std::vector<std::string_view> values;  // views into `event`
  if (layout.payload == EventLayout::Payload::kms_list) {
    auto payload = kms_payload(event, layout.min_fields);
    if (!payload) return EventOutcome::malformed;
    values = std::move(*payload);
  } else {
    values = data_payload(layout, event);
  }
  // Room for the layout's fields and the few that enrich a code or a product (set_hresult, set_product).
  Record fact = new_fact(event, layout.kind, layout.fields.size() + 8);
  KeyValueCache kv;
  for (const FieldLayout& f : layout.fields) {
    const auto value = field_value(f, f.at ? positional_text(f, values, kv) : std::string_view(f.value));
    if (!satisfies(f, value)) {
      return f.required == Required::malformed ? EventOutcome::malformed : EventOutcome::unused;
    }
    if (value) set_field(fact, f, *value, kb);
  }
  out.push_back(std::move(fact));
  return EventOutcome::fact;
}

}  // namespace kmsdiag
