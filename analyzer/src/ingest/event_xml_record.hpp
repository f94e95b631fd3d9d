// Turns one parsed Windows <Event> element (events schema, any namespace prefix) into a Record of
// kind "event" with the fields rules/records.md lists.
#pragma once

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "model/record.hpp"

namespace kmsdiag {

// No provider schema nests its UserData this deep; an event that does is damaged or hostile.
inline constexpr size_t kMaxUserDataDepth = 64;

// What was wrong with an event: `message` is empty when nothing was; `skipped` says `out` must be
// dropped (its UserData nests deeper than kMaxUserDataDepth), otherwise it was kept with less data.
struct EventXmlIssue {
  std::string message;
  bool skipped = false;
};

// Fills kind, time, machine, source.record_id and fields of `out` from `event`; `format` becomes
// the "format" field. Leaves source.path/unit/position to the caller. Keeps the first
// kMaxDataItems Data items.
EventXmlIssue event_xml_to_record(pugi::xml_node event, std::string_view format, Record& out);

// The System header of `event`, as event_xml_to_record reads it (the first of a repeated element):
// what says whether the event is about activation, without building its record.
struct EventXmlHeader {
  // Absent when the System element does not have the element.
  std::optional<std::string_view> provider, channel, level, record_id, computer;
  std::optional<std::string> event_id;  // the 16-bit id when the text is a number
  // The Qualifiers attribute, else the high word of a full 32-bit id; absent when neither.
  std::optional<std::string> qualifiers;
  int64_t time_ms = kNoTime;
};
EventXmlHeader event_xml_header(pugi::xml_node event);

// Builds an EventXmlHeader from System's child elements, given in document order, whatever read them:
// pugixml's tree (event_xml_header) or the quick scan (scan_event_xml_header), so that the two agree.
class EventXmlHeaderBuilder {
 public:
  // `local`: the element's local name; `text()`: its text, trimmed; `attribute(local)`: the value of its
  // first attribute with that local name, nullopt when it has none.
  template <class Text, class Attribute>
  void element(std::string_view local, const Text& text, const Attribute& attribute);
  EventXmlHeader& header() { return h_; }
  // Whether element() reads anything of an element with this local name: the others need not be told.
  static bool reads(std::string_view local) {
    return local == "Level" || local == "EventID" || local == "Channel" || local == "Provider" || local == "Computer" ||
           local == "TimeCreated" || local == "EventRecordID";
  }

 private:
  void event_id(std::string_view raw, std::optional<std::string_view> qualifiers);
  void time_created(std::string_view system_time);
  EventXmlHeader h_;
};

// Each value from the first element of its name, but the time: from the first that has a valid one. Told
// apart by length first: this runs for every System child of every event.
template <class Text, class Attribute>
void EventXmlHeaderBuilder::element(std::string_view local, const Text& text, const Attribute& attribute) {
  switch (local.size()) {
    case 5:
      if (local == "Level" && !h_.level) h_.level = text();
      break;
    case 7:
      if (local == "EventID" && !h_.event_id) event_id(text(), attribute("Qualifiers"));
      if (local == "Channel" && !h_.channel) h_.channel = text();
      break;
    case 8:
      if (local == "Provider" && !h_.provider) {
        std::optional<std::string_view> name = attribute("Name");
        if (!name) name = attribute("EventSourceName");
        h_.provider = trim(name.value_or(""));
      }
      if (local == "Computer" && !h_.computer) h_.computer = text();
      break;
    case 11:
      if (local == "TimeCreated" && h_.time_ms == kNoTime) time_created(attribute("SystemTime").value_or(""));
      break;
    case 13:
      if (local == "EventRecordID" && !h_.record_id) h_.record_id = text();
      break;
  }
}

// What event_xml_to_record would say about `event`'s payload (too deep, too many items), for an event
// whose record is not built.
EventXmlIssue event_xml_payload_issue(pugi::xml_node event);

}  // namespace kmsdiag
