// Turns one parsed Windows <Event> element (events schema, any namespace prefix) into a Record of
// kind "event" with the fields rules/records.md lists.
#pragma once

#include <pugixml.hpp>
#include <string_view>

#include "model/record.hpp"

namespace kmsdiag {

// Fills kind, time, machine, source.record_id and fields of `out` from `event`; `format` becomes
// the "format" field. Leaves source.path/unit/position to the caller.
void event_xml_to_record(pugi::xml_node event, std::string_view format, Record& out);

}  // namespace kmsdiag
