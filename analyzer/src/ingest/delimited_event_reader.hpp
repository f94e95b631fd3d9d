// Events exported as delimited text, one row per event under a header row: Event Viewer's
// "Save as CSV" and "Save as Text" (tab-separated), and PowerShell's Export-Csv of Get-WinEvent.
// The CSV and TSV formats differ only in the separator, so both use this reader.
#pragma once

#include <memory>
#include <string_view>

#include "ingest/reader.hpp"

namespace kmsdiag {

// Confidence that `head` starts such an export with this separator: a header row naming the
// event id and at least two other known columns.
int detect_delimited_events(std::string_view head, const Knowledge& kb, char separator);

std::unique_ptr<Reader> make_delimited_event_reader(const Knowledge& kb, char separator, std::string_view format);

}  // namespace kmsdiag
