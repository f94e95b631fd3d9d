// Root-cause linking: a finding whose rule `explains` cause B marks every B finding as explained by
// its cause, and the list is ordered so each root cause is followed by what it explains.
#pragma once

#include <vector>

#include "model/analysis.hpp"

namespace kmsdiag {

// Fills explained_by and reorders: findings nobody explains first (severity descending, then rule
// id, then their original order), each followed depth-first by the findings it explains. Findings
// only reachable through an explanation cycle come last, in the same order. Deterministic.
void link_findings(std::vector<Finding>& findings);

}  // namespace kmsdiag
