// Events from `Get-WinEvent | ConvertTo-Json` (or Get-EventLog): an array of objects, or one object.
// Objects are cut out of the stream one at a time, so memory stays bounded by the largest event.
#pragma once

#include "ingest/reader.hpp"

namespace kmsdiag {

FormatInfo event_json_format();  // "event-json"

}  // namespace kmsdiag
