// The health of KMS discovery judged from a live check, as a monitoring plugin states it: OK, WARNING,
// CRITICAL or UNKNOWN (exit code 0/1/2/3) with the problems that decided it. Rendered by report/health_output.hpp.
#pragma once

#include <string>
#include <vector>

#include "probe/live_check.hpp"

namespace kmsdiag {

enum class Health { ok = 0, warning = 1, critical = 2, unknown = 3 };
std::string_view to_string(Health h);  // "OK", "WARNING", ...

struct HealthReport {
  Health state = Health::unknown;
  std::vector<std::string> problems;  // worst first; empty when OK
  int domains = 0, srv_targets = 0, reachable = 0;
  double seconds = 0;
};

// CRITICAL: some domain has no target where a KMS answers the bind. WARNING: everything else that is not
// right (a failing server, split answers, stale/unreachable/foreign targets, rogue or missing hosts).
// UNKNOWN: the check could not finish (deadline) or had nothing to check; never a false OK.
HealthReport assess_health(const LiveResult& result);
// The check could not run at all (bad arguments, no resolver).
HealthReport unknown_health(const std::string& why);

}  // namespace kmsdiag
