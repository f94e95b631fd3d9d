// Monitoring output of the live check: a Nagios/Icinga plugin status (one line, perfdata, exit code
// 0/1/2/3), the same as JSON, and a Prometheus node-exporter textfile.
#pragma once

#include <ostream>
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

// "KMS OK - ... | domains=1 srv_targets=1 reachable=1 time=0.012s"
std::string nagios_line(const HealthReport& report);
void write_health_json(const HealthReport& report, const LiveResult* result, std::ostream& out);
std::string prometheus_text(const HealthReport& report, const LiveResult* result);
// Writes `text` to `path` through a temporary file in the same folder and a rename, so a scraper
// never reads half a file. Returns "" or the error.
std::string write_file_atomically(const std::string& path, const std::string& text);

}  // namespace kmsdiag
