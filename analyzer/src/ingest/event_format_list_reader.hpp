// Events from `Get-WinEvent | Format-List` (or `fl *`): "Name : value" blocks separated by blank
// lines, multi-line values (the message) continued on indented lines.
#pragma once

#include "ingest/reader.hpp"

namespace kmsdiag {

FormatInfo event_format_list_format();  // "event-format-list"

}  // namespace kmsdiag
