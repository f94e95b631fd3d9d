// Renders an Analysis for people (terminal, Markdown, HTML) and machines (JSON), and maps it to an exit code.
// Every format is listed by name in report/renderer_registry.cpp.
#pragma once

#include <ostream>

#include "model/analysis.hpp"

namespace kmsdiag {

struct TerminalOptions {
  bool color = false;    // ANSI colour (only on a TTY and without NO_COLOR; decided by the caller)
  size_t sample = 5;     // evidence lines and names shown per finding before "… and N more"
  bool verbose = false;  // list every input, not only those with problems
};

void render_terminal(const Analysis& analysis, std::ostream& out, const TerminalOptions& options);
void render_json(const Analysis& analysis, std::ostream& out);
// Paste-ready Markdown for a ticket (report/markdown_report.cpp).
void render_markdown(const Analysis& analysis, std::ostream& out, const TerminalOptions& options);
// One self-contained HTML file (report/html_report.cpp): no script, no network, charts as inline SVG.
void render_html(const Analysis& analysis, std::ostream& out);

// Exit codes of `kmsdiag analyze` (documented in README.md):
//   0 no finding of warning or worse, every input read
//   1 findings of warning or worse
//   2 some input could not be read or was damaged (findings absent)
//   3 both 1 and 2
//   64 usage error, 65 inputs found but none analysed, 66 no input found, 78 bad rule or table files,
//   70 internal error, 74 the output could not be written (standard output closed or full; `check` says
//   UNKNOWN, 3, instead)
enum ExitCode : int {
  kExitOk = 0,
  kExitFindings = 1,
  kExitInputProblems = 2,
  kExitUsage = 64,
  kExitNothingAnalysed = 65,
  kExitNoInput = 66,
  kExitSoftware = 70,
  kExitOutput = 74,
  kExitConfig = 78,
};
int exit_code(const Analysis& analysis);

}  // namespace kmsdiag
