// The System header of one event's bytes, read without building a tree: most events of an Application
// log are not about activation, and for them the header is all that is needed, provided the event is well
// formed. pugixml would spend most of the reader's time building each one's tree (issue 10).
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "ingest/event_xml_record.hpp"
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
std::optional<EventXmlHeader> scan_event_xml_header(
    std::string_view event,
    const std::function<bool(const EventXmlHeader&)>& keep = [](const EventXmlHeader&) { return true; });

// Bounds that also keep every event the scan reads clear of payload problems (too many Data items, UserData
// nested too deep): an event it reads needs no payload check.
inline constexpr size_t kMaxScanDepth = 16;
inline constexpr size_t kMaxScanElements = 128;
static_assert(kMaxScanElements < kMaxDataItems && kMaxScanDepth < kMaxUserDataDepth);

}  // namespace kmsdiag
