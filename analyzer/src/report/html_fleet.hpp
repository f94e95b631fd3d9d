// The HTML report's sections about the fleet as a whole (model/fleet_overview.hpp): its timelines and its
// machine inventory.
#pragma once

#include <ostream>

#include "model/fleet_overview.hpp"

namespace kmsdiag {

// <section id="timelines">: each KMS host's count per line, then the clients' failures by code.
void write_timelines_section(const FleetOverview& fleet, std::ostream& out);

// <section id="machines">: one row per machine and product.
void write_inventory_section(const FleetOverview& fleet, std::ostream& out);

}  // namespace kmsdiag
