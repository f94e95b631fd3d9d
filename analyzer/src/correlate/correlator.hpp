// Joins facts across records and inputs: pairs client requests with responses, joins client attempts
// to host requests by CMID and time, and adds per-CMID, per-host, per-input and data-set summaries.
#pragma once

#include <vector>

#include "correlate/host_request_ledger.hpp"
#include "knowledge/knowledge.hpp"
#include "model/analysis.hpp"
#include "model/fleet_overview.hpp"
#include "model/record.hpp"
#include "model/unread_facts.hpp"

namespace kmsdiag {

// Appends derived records to `facts` (existing records are left in place, possibly annotated). The host
// logs' 12290s are in the sealed `ledger`; `facts` holds every other fact and the ledger's refusals.
// The ledger's views are released once summarised (its counts and paths stay). Returns the series and the
// machine inventory a report draws (model/fleet_overview.hpp). `unread`: the facts counted, not built, because
// nothing reads them (correlation_reads says what correlation does); the dataset summary counts and dates them.
FleetOverview correlate(std::vector<Record>& facts, correlation::HostRequestLedger& ledger,
                        const std::vector<InputSummary>& inputs, const Knowledge& kb, const UnreadFacts& unread);

// Whether a correlation step reads the facts of this layout beyond counting and dating them: the kinds the
// steps pick out, and any fact naming a CMID (each CMID's summary gathers them all).
bool correlation_reads(const EventLayout& layout);

// Room to leave after `facts` facts for the records correlate() appends, so that it does not move them all
// to a bigger array (the 453,000 facts of a 512 MiB Application log took 0.3 s to move). What it appends is
// few beside the facts (attempts, states and CMIDs of the clients' requests), except a record per CMID of
// a host log and per count line of a host; past this room it still works, only moving the facts once.
// Room never written costs address space, not memory.
size_t correlation_room(size_t facts, const correlation::HostRequestLedger& ledger, size_t inputs);

// The same for facts that still hold every kms.host-request (small callers, tests): they go through a
// ledger first, and only the refusals stay in `facts`, where the first of each stood.
FleetOverview correlate(std::vector<Record>& facts, const std::vector<InputSummary>& inputs, const Knowledge& kb);

}  // namespace kmsdiag
