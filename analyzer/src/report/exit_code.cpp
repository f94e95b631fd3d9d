#include "report/finding_outline.hpp"
#include "report/report.hpp"

namespace kmsdiag {

int exit_code(const Analysis& analysis) {
  if (analysis.inputs.empty()) return kExitNoInput;
  if (nothing_analysed(analysis)) return kExitNothingAnalysed;
  // The two conditions are independent bits so a script can test either one (3 = both).
  int code = kExitOk;
  if (actionable_findings(analysis) > 0) code |= kExitFindings;
  if (inputs_with_problems(analysis) > 0) code |= kExitInputProblems;
  return code;
}

}  // namespace kmsdiag
