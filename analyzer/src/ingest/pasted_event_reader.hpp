// Events pasted as text into tickets and mails: Event Viewer's "Copy details as text" blocks
// (optionally followed by "Event Xml:"), the XML view copied with its "- " fold markers, and bare
// KMS payload lines ("Info:" plus the comma-separated fields) whose event id is inferred from
// their shape (field `inferred` = 1).
#pragma once

#include "ingest/reader.hpp"

namespace kmsdiag {

FormatInfo pasted_event_format();  // "pasted-event"

}  // namespace kmsdiag
