// The health check (probe/health_status.hpp) for monitoring: a Nagios/Icinga plugin status line (text,
// perfdata), the same as JSON, and a Prometheus node-exporter textfile. `result` is null when the check
// could not run at all (bad arguments, no resolver): only the status is known then.
#pragma once

#include <ostream>

#include "probe/health_status.hpp"
#include "probe/live_check.hpp"

namespace kmsdiag {

// "KMS OK - ... | domains=1 srv_targets=1 reachable=1 time=0.012s" and a newline.
void render_nagios(const HealthReport& report, const LiveResult* result, std::ostream& out);
void render_health_json(const HealthReport& report, const LiveResult* result, std::ostream& out);
void render_prometheus(const HealthReport& report, const LiveResult* result, std::ostream& out);

}  // namespace kmsdiag
