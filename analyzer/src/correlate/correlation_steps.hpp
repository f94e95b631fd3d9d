// The steps correlate() runs and the keys they share. Each step reads the interpreted facts and
// returns the derived records it is responsible for (documented in rules/records.md).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "correlate/host_request_ledger.hpp"
#include "knowledge/knowledge.hpp"
#include "model/analysis.hpp"
#include "model/fleet_overview.hpp"
#include "model/machine_place.hpp"
#include "model/record.hpp"
#include "model/unread_facts.hpp"

namespace kmsdiag::correlation {

inline constexpr int64_t kMinuteMs = 60'000;
inline constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;
inline constexpr int64_t kPairWindowMs = 5 * kMinuteMs;       // 12288 -> 12289 on the same client
inline constexpr int64_t kHostJoinWindowMs = 10 * kMinuteMs;  // client attempt <-> host 12290, either side
inline constexpr int64_t kCountWindowMs = 30 * kDayMs;        // the KMS host keeps a CMID for 30 days

// The kinds the steps pick out of every fact. Compared as string_views, whose == checks the length first:
// a pass over half a million facts of other kinds (a big Application log's service housekeeping) then
// does not read their kinds' text, which longer kinds keep on the heap.
inline constexpr std::string_view kClientRequestKind = "kms.client-request";
inline constexpr std::string_view kClientResponseKind = "kms.client-response";
inline constexpr std::string_view kAttemptKind = "activation.attempt";
inline constexpr std::string_view kLicenseStateKind = "license.state";

// Identity of a computer name across logs (model/machine_place.hpp).
using kmsdiag::machine_key;

// True when the text is an HRESULT other than 0 (empty or unparsable text is not an error code).
bool is_error_code(std::string_view hresult);

// "1" / "0" for boolean fields.
inline std::string flag(bool value) { return value ? "1" : "0"; }

// Every step below reads the host logs' 12290s from the ledger, never from `facts`: there they appear only
// as the refusals (kind kms.host-request, one per distinct refusal), for the rules and host_side_attempts.
inline bool is_host_request(const Record& f) { return f.kind == kHostRequestKind; }

// An activation.attempt that did not activate (every source sets `activated`; an unanswered 12288 did not)
// or carried an error code.
bool failed_attempt(const Record& attempt);

// One count line of a host's log as the host keeps it: the count it reports never exceeds the line's
// cap (count-lines.yaml), however many distinct CMIDs asked.
struct LineView {
  const HostLineCounts* counts;
  const CountLine* table;  // null when the tables do not know the line
  std::string name;
  std::optional<uint64_t> cap;
  uint64_t count(uint64_t distinct) const { return cap ? std::min(distinct, *cap) : distinct; }
};

// The lines of a host's log in table order (lines the table does not know last, by id).
std::vector<LineView> line_views(const LedgerHost& log, const Knowledge& kb);

// One `input` record per summary; kms_log from 12290s in the file or from its name.
std::vector<Record> summarise_inputs(const HostRequestLedger& ledger, const std::vector<InputSummary>& inputs);

// One `activation.attempt` (via kms-client-log) per 12288, paired with its 12289 and joined to host 12290s by CMID.
std::vector<Record> pair_client_attempts(const std::vector<Record>& facts, const HostRequestLedger& ledger,
                                         bool host_logs_supplied, const Knowledge& kb);

// One `activation.attempt` (via kms-host-log) per host request the host refused (non-zero code): the
// client's attempt as the host saw it.
std::vector<Record> host_side_attempts(const std::vector<Record>& facts);

// Sets kms_host_source, channel and (when missing) kms_host on every activation.attempt from the license.state of the
// same machine (or, for command output without a machine name, of the same folder).
void annotate_machine_context(std::vector<Record>& facts);

// Removes from `facts` each 8198 (activation.attempt via spp-8198) that re-reports a failed KMS attempt of
// the same machine logged up to 5 minutes before it, and marks that attempt seen_by both.
void fold_echoed_attempts(std::vector<Record>& facts, std::vector<Record>& attempts);

// One `license.state` (via kms-client-log) per machine and product with dated KMS client attempts: the state
// the latest attempt left it in (its 12288's state, or freshly licensed when that attempt activated).
std::vector<Record> client_log_states(const std::vector<Record>& attempts);

// Sets min_key_group and min_key_group_name on every activation.attempt refused for its host key
// (hresult_cause host-key-mismatch) whose product is known: the oldest host key group that activates it.
void annotate_key_groups(std::vector<Record>& facts, const Knowledge& kb);

// Sets superseded (1/0) on every dated license.state: 1 when a newer state of the same product on the same
// machine, or a later successful activation of that machine, replaced it. Undated states (command output,
// taken when the export was made) are current by definition.
void mark_superseded_states(std::vector<Record>& facts);

// Appends to `facts` one `kms.cmid` per CMID reported by any of them or by a 12290, leaving room for
// `room_after` more records, so that neither these nor those copy the array.
void summarise_cmids(std::vector<Record>& facts, const HostRequestLedger& ledger, size_t room_after);

// One `kms.host` per KMS host, each followed by one `kms.host-line` per count line of its (dated) log, then
// the single `kms.hosts` record. Line names and caps come from rules/tables/count-lines.yaml.
std::vector<Record> summarise_hosts(const HostRequestLedger& ledger, const std::vector<Record>& attempts,
                                    const Knowledge& kb);

// Each supplied host log's counts per count line over its time span (the ledger's buckets, capped as the
// host caps them), by host, then line in table order.
std::vector<HostCountSeries> host_count_series(const HostRequestLedger& ledger, const Knowledge& kb);

// The clients' failed attempts (every source but the host logs, whose refusals the host series show) by
// failure kind and day; the kMaxFailureKinds most frequent kinds apart, the rest as one.
inline constexpr size_t kMaxFailureKinds = 8;
FailureTimeline client_failure_timeline(const std::vector<Record>& facts);

// One row per machine and product shown by the machines' own records (license states and attempts, not the
// host logs' view of their clients), at most kMaxInventoryRows, by machine then product.
inline constexpr size_t kMaxInventoryRows = 5000;
void list_machine_products(const std::vector<Record>& facts, FleetOverview& fleet);

// The single `dataset` record; the facts nothing reads (`unread`) count as the facts would.
Record summarise_dataset(const std::vector<Record>& facts, const HostRequestLedger& ledger,
                         const std::vector<Record>& input_records, const std::vector<Record>& attempts,
                         const UnreadFacts& unread);

}  // namespace kmsdiag::correlation
