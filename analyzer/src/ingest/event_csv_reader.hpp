// Event Viewer "Save as CSV" and PowerShell Export-Csv of events.
#pragma once

#include "ingest/reader.hpp"

namespace kmsdiag {

FormatInfo event_csv_format();  // "event-csv"

}  // namespace kmsdiag
