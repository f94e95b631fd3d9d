// Turns one parsed Windows <Event> element (events schema, any namespace prefix) into a Record of
// kind "event" with the fields rules/records.md lists.
#pragma once

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

}  // namespace kmsdiag
