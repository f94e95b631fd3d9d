// The System header of one event's bytes, read without building a tree: most events of an Application
// log are not about activation, and for them the header is all that is needed, provided the event is well
// formed. pugixml would spend most of the reader's time building each one's tree (issue 10).
#pragma once

#include <optional>
#include <string_view>

#include "ingest/event_xml_header_tracker.hpp"
#include "ingest/event_xml_record.hpp"
#include "ingest/event_xml_shapes.hpp"
#include "ingest/reader.hpp"

namespace kmsdiag {

// What event_xml_header() gives on pugixml's tree of `event` (the bytes of one Event element), for an event
// in the plain form every exporter writes: elements with ASCII names, attributes, text. nullopt for anything
// else, without saying why: a comment, CDATA, a processing instruction, a NUL, a non-ASCII name, a header
// value that pugixml would rewrite (an entity reference, a carriage return; in an attribute a tab or a line
// end too), more than kMaxScanDepth levels or kMaxScanElements elements, and all that pugixml would reject. The caller
// then parses the event with pugixml, which says the same as before. So an event this scan accepts, pugixml accepts,
// and reads the same header from.
// `keep(header)` is asked as soon as the header is complete (System has ended): when it says no (an event
// about activation, which needs pugixml's tree anyway), the scan stops there and gives nullopt.
// `shape`, when given, records the event's markup as the scan reads it (complete when it gives a header).
std::optional<EventXmlHeader> scan_event_xml_header(
    std::string_view event, const KeepHeader& keep = [](const EventXmlHeader&) { return true; },
    EventShape* shape = nullptr);

// scan_event_xml_header() for the events of one input, one after another: it remembers the shapes of the events
// it has read, and reads an event of a known shape by comparing its markup (event_xml_shapes.hpp). `keep` may be
// asked twice about an event whose shape matched only in part, with the same header.
class EventXmlHeaderScanner {
 public:
  std::optional<EventXmlHeader> scan(std::string_view event, const KeepHeader& keep);
  const EventXmlShapes& shapes() const { return shapes_; }
  // How many events a learned shape read.
  uint64_t replayed() const { return replayed_; }

 private:
  EventXmlShapes shapes_;
  uint64_t replayed_ = 0;
  EventShape shape_;  // the one the scan records into, reused
};

// Bounds that also keep every event the scan reads clear of payload problems (too many Data items, UserData
// nested too deep): an event it reads needs no payload check.
inline constexpr size_t kMaxScanDepth = 16;
inline constexpr size_t kMaxScanElements = 128;
static_assert(kMaxScanElements < kMaxDataItems && kMaxScanDepth < kMaxUserDataDepth);

}  // namespace kmsdiag
