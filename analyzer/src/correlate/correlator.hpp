// Joins facts across records and inputs: pairs client requests with responses, joins client attempts
// to host requests by CMID and time, and adds per-CMID, per-host, per-input and data-set summaries.
#pragma once

#include <vector>

#include "knowledge/knowledge.hpp"
#include "model/analysis.hpp"
#include "model/record.hpp"

namespace kmsdiag {

// Appends derived records to `facts` (existing records are left in place, possibly annotated).
void correlate(std::vector<Record>& facts, const std::vector<InputSummary>& inputs, const Knowledge& kb);

}  // namespace kmsdiag
