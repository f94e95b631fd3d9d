#include "ingest/event_xml_record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <string>

#include "ingest/reader.hpp"

namespace kmsdiag {
namespace {

// Element and attribute names compare without their namespace prefix ("e:System" is "System").
// One pass over the short name: this runs for every element and attribute of every event.
std::string_view local_name(const char* name) {
  const char* local = name;
  const char* p = name;
  for (; *p; ++p) {
    if (*p == ':') local = p + 1;
  }
  return {local, static_cast<size_t>(p - local)};
}

pugi::xml_node child(pugi::xml_node parent, std::string_view local) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c.name()) == local) return c;
  }
  return {};
}

pugi::xml_attribute attribute(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    if (local_name(a.name()) == local) return a;
  }
  return {};
}

std::string_view text(pugi::xml_node node) { return trim(node.child_value()); }

bool has_element_children(pugi::xml_node node) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) return true;
  }
  return false;
}

// Collects data.N (positional) and data.<Name> fields, keeping the first value of a repeated name
// and the first kMaxDataItems items; or, without a record, only counts them.
class DataFields {
 public:
  explicit DataFields(Record* out) : out_(out) {}
  void add(std::string_view name, std::string_view value) {
    if (count_++ >= kMaxDataItems || out_ == nullptr) return;
    char index[32] = "data.";
    const auto end = std::to_chars(index + 5, std::end(index), count_ - 1).ptr;
    out_->fields.append(std::string_view(index, static_cast<size_t>(end - index)), value);
    if (name.empty()) return;
    key_.assign("data.").append(name);
    if (!out_->has(key_)) out_->fields.append(key_, value);
  }
  size_t kept() const { return std::min(count_, kMaxDataItems); }
  size_t count() const { return count_; }

 private:
  Record* out_;
  std::string key_;  // of a named item, reused
  size_t count_ = 0;
};

// UserData has one wrapper element per provider schema; its leaves are the event's values. Walked
// with the tree's own parent links, not recursion: the depth is the input's to choose. False when
// the nesting goes deeper than any provider schema does.
bool add_user_data_leaves(pugi::xml_node user_data, DataFields& data) {
  size_t depth = 1;  // of `n` below UserData
  for (pugi::xml_node n = user_data.first_child(); n;) {
    if (n.type() == pugi::node_element && has_element_children(n)) {
      if (depth == kMaxUserDataDepth) return false;
      n = n.first_child();
      ++depth;
      continue;
    }
    if (n.type() == pugi::node_element) data.add(local_name(n.name()), text(n));
    while (!n.next_sibling()) {
      n = n.parent();
      if (n == user_data) return true;
      --depth;
    }
    n = n.next_sibling();
  }
  return true;
}

void add_system(const EventXmlHeader& h, Record& out) {
  auto add = [&out](std::string_view key, const auto& value) {
    if (value) out.fields.append(key, *value);
  };
  add("provider", h.provider);
  add("event_id", h.event_id);
  add("qualifiers", h.qualifiers);
  add("level", h.level);
  add("record_id", h.record_id);
  add("channel", h.channel);
  out.time_ms = h.time_ms;
  out.source.record_id = h.record_id.value_or("");
  out.machine = h.computer.value_or("");
}

// Reads EventData's Data items and UserData's leaves into `data` and, when `message` is given,
// RenderingInfo's Message into it.
EventXmlIssue read_payload(pugi::xml_node event, DataFields& data, std::optional<std::string_view>* message) {
  for (pugi::xml_node c = event.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view name = local_name(c.name());
    if (name == "EventData") {
      for (pugi::xml_node d = c.first_child(); d; d = d.next_sibling()) {
        if (d.type() == pugi::node_element && local_name(d.name()) == "Data") {
          data.add(trim(attribute(d, "Name").value()), text(d));
        }
      }
    } else if (name == "UserData") {
      if (!add_user_data_leaves(c, data))
        return {fmt::format("UserData nested deeper than {} elements; event skipped", kMaxUserDataDepth), true};
    } else if (name == "RenderingInfo" && message != nullptr) {
      if (pugi::xml_node m = child(c, "Message")) *message = text(m);
    }
  }
  if (data.count() > kMaxDataItems) return {too_many_data_items(data.count()), false};
  return {};
}

}  // namespace

void EventXmlHeaderBuilder::event_id(std::string_view raw, std::optional<std::string_view> qualifiers) {
  if (qualifiers) h_.qualifiers = std::string(trim(*qualifiers));
  uint64_t value = 0;
  const auto r = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  if (r.ec != std::errc() || r.ptr != raw.data() + raw.size()) {
    h_.event_id = std::string(raw);
    return;
  }
  // A 16-bit id written without leading zeros is its own text, as most are: no number to write back.
  if (value <= 0xFFFF && (raw.size() == 1 || raw[0] != '0')) {
    h_.event_id.emplace(raw);
    return;
  }
  // Some exports write the full 32-bit id (qualifiers in the high word) instead of the attribute.
  h_.event_id = std::to_string(value & 0xFFFF);
  if (!h_.qualifiers && value > 0xFFFF) h_.qualifiers = std::to_string((value >> 16) & 0xFFFF);
}

void EventXmlHeaderBuilder::time_created(std::string_view system_time) {
  if (auto t = parse_iso8601(system_time)) h_.time_ms = *t;
}

EventXmlHeader event_xml_header(pugi::xml_node event) {
  EventXmlHeaderBuilder b;
  for (pugi::xml_node c = child(event, "System").first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    b.element(
        local_name(c.name()), [c] { return text(c); },
        [c](std::string_view local) -> std::optional<std::string_view> {
          const pugi::xml_attribute a = attribute(c, local);
          return a ? std::optional<std::string_view>(a.value()) : std::nullopt;
        });
  }
  return std::move(b.header());
}

EventXmlIssue event_xml_payload_issue(pugi::xml_node event) {
  DataFields count_only(nullptr);
  return read_payload(event, count_only, nullptr);
}

EventXmlIssue event_xml_to_record(pugi::xml_node event, std::string_view format, Record& out) {
  out.kind = "event";
  out.fields.reserve(24);  // System fields plus a typical event's Data: no regrowth
  add_system(event_xml_header(event), out);
  DataFields data(&out);
  std::optional<std::string_view> message;
  EventXmlIssue issue = read_payload(event, data, &message);
  if (issue.skipped) return issue;
  out.fields.append("data_count", std::to_string(data.kept()));
  if (message) out.fields.append("message", *message);
  out.fields.append("format", format);
  return issue;
}

}  // namespace kmsdiag
