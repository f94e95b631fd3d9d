// Event Viewer "Save as Text": the CSV columns, tab-separated.
#pragma once

#include "ingest/reader.hpp"

namespace kmsdiag {

FormatInfo event_tsv_format();  // "event-tsv"

}  // namespace kmsdiag
