// The order both reports present findings in: each root cause (a finding no other finding present
// explains), most severe first, followed by the symptoms it explains, nested, most severe first.
#pragma once

#include <cstddef>
#include <vector>

#include "model/analysis.hpp"

namespace kmsdiag {

struct OutlineEntry {
  size_t index = 0;     // into Analysis::findings
  size_t depth = 0;     // 0 = root cause, 1 = a symptom it explains, ...
  bool repeat = false;  // already shown under an earlier cause: show a reference only
};

// Every finding appears exactly once with repeat == false; one explained by two causes appears again
// (repeat == true) under the second. Explanation cycles cannot loop: a finding is never its own ancestor.
std::vector<OutlineEntry> finding_outline(const std::vector<Finding>& findings);

// Findings that need action: severity warning or worse.
size_t actionable_findings(const Analysis& analysis);
// Inputs that were skipped or reported problems.
size_t inputs_with_problems(const Analysis& analysis);
// True when inputs were given but a reader read none of them: every file was skipped (no known format,
// empty, unreadable) or the archives held no member to read. Live probes count as something analysed.
bool nothing_analysed(const Analysis& analysis);

}  // namespace kmsdiag
