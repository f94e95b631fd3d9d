// The input-accounting sections of the terminal report: the table of input files and the one-line
// summary of events that were read but are not about activation.
#pragma once

#include <ostream>

#include "model/analysis.hpp"
#include "report/report.hpp"
#include "report/terminal_text.hpp"

namespace kmsdiag {

// Files that were skipped or reported problems (every file when options.verbose), with their
// problems listed up to options.sample.
void render_input_table(const Analysis& analysis, std::ostream& out, const TerminalOptions& options,
                        const Palette& palette);

// "Ignored 2,136 events not about activation: Application 1033 ×800, … and 12 more kinds".
void render_ignored_events(const Analysis& analysis, std::ostream& out, const TerminalOptions& options);

}  // namespace kmsdiag
