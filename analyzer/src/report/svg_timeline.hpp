// Inline SVG charts of the fleet over time (model/fleet_overview.hpp): drawn by the HTML report, readable
// without script (each bar carries its value as a <title>), scaled to the page by its viewBox.
#pragma once

#include <ostream>

#include "model/fleet_overview.hpp"

namespace kmsdiag {

// Bars of a host's count per bucket against a dashed line at its threshold, then a one-line caption.
void write_host_count_chart(const HostCountSeries& series, std::ostream& out);

// Bars of failed client attempts per bucket, stacked by kind (colour classes k0..k8), then a legend.
void write_failure_chart(const FailureTimeline& failures, std::ostream& out);

}  // namespace kmsdiag
