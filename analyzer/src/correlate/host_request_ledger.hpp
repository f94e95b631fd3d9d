// A KMS host's 12290s (kind `kms.host-request`), aggregated as they stream in.
//
// A host log holds a request per client and week, and one every two hours per client it refuses: a
// million requests is an ordinary 90-day log. Correlation needs per-host and per-CMID aggregates, the
// request times (exact 30-day distinct counts, the ±10 minute client join) and the refused requests, so
// that is all that is kept: 8 bytes per request, plus one Record per distinct refusal (same host, client,
// CMID, code and product), which carries how often it happened. Nothing is left out whatever the size.
//
// The same log given twice (a renamed copy, an .evtx and its XML export) is one source: a request
// identical to one already logged (host, CMID, client, time, code, product, state) counts once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/fleet_overview.hpp"
#include "model/record.hpp"
#include "model/string_pool.hpp"

namespace kmsdiag::correlation {

inline constexpr std::string_view kHostRequestKind = "kms.host-request";

// The counts a KMS host keeps, one per count line (rules/tables/count-lines.yaml: Windows, client and
// server sharing one, and each Office version): the requests' `count_line` field says which. At most
// kMaxCountLines distinct lines per ledger (the table allows no more); further ones count with the last.
inline constexpr size_t kMaxCountLines = 32;

struct HostLineCounts {
  std::string line;                 // count_line of its requests ("windows", "office2016"; "" when they named none)
  uint64_t requests = 0;            // its 12290s (a request read twice counts once)
  uint64_t max_30d = 0;             // most distinct CMIDs in any 30-day window of its log (uncapped)
  uint64_t current_30d = 0;         // distinct CMIDs in the 30 days up to the host's newest request (uncapped)
  uint64_t retrying_30d = 0;        // of those, CMIDs that asked from a non-activated state
  std::optional<double> threshold;  // highest threshold of its requests' products (product_n, else n_policy)
  SourceRef first_source;           // its first request in input order: what evidence about the line cites
  int64_t first_ms = kNoTime;       // that request's time (evidence cites a record with its own time)
  std::vector<uint64_t> by_bucket;  // per bucket of its host's `buckets`: max_30d within that bucket
};

struct LedgerHost {
  std::string key;             // machine_key of the host
  std::string display;         // as the first request (in input order) spells it
  SourceRef first_source;      // its first request in input order: what evidence about the host cites
  int64_t first_ms = kNoTime;  // that request's time
  int64_t last_ms = kNoTime;   // newest request (kNoTime: none dated)
  uint64_t requests = 0, failures = 0;
  std::optional<double> max_n_policy;
  std::vector<std::string_view> clients;  // machine keys of the `client` names, sorted (the ledger's text)
  std::vector<HostLineCounts> lines;      // one per count line its requests named, by line
  TimeBuckets buckets;                    // its dated requests' days, for the lines' by_bucket

  const HostLineCounts* line(std::string_view id) const;  // null when none of its requests named it
  uint64_t retrying_30d = 0;            // CMIDs asking from a non-activated state in the 30 days up to last_ms
  std::vector<std::string_view> stale;  // CMIDs that renewed, then went silent > 8 days before last_ms (sorted)
};

// A client name a CMID was logged with, and when. The text is the ledger's (valid while it lives).
struct LedgerName {
  std::string_view key, display;  // machine_key, and the spelling of its earliest request
  int64_t first = kNoTime, last = kNoTime;
};

// What the host logs say of one CMID. Fifty thousand of these are an ordinary fleet, so the text is
// the ledger's own (one copy of each CMID and name) and the earliest request is kept as numbers.
struct LedgerCmid {
  std::string_view cmid;  // lower-case
  // The earliest request by (time, path, position): where the CMID first shows, and the client it named.
  int64_t earliest_ms = kNoTime;
  std::string_view earliest_path, earliest_unit, earliest_record_id;
  uint64_t earliest_position = 0;
  std::string_view earliest_client;
  std::vector<LedgerName> names;  // by key
  uint64_t requests = 0;
  int64_t first = kNoTime, last = kNoTime;
  // Every dated request, sorted (all hosts), kept only for a CMID a client's own log asked with (the
  // join with its attempts is their only reader; see note_client_fact); empty after forget_times().
  std::vector<int64_t> times;

  SourceRef earliest_source() const {
    return {std::string(earliest_path), std::string(earliest_unit), earliest_position, std::string(earliest_record_id)};
  }
};

// A refused request as a fact for the rules, standing for all identical ones: their number is its
// `requests` field, the time of the last one its `last` field.
struct LedgerRefusal {
  Record fact;
  uint64_t unit, seq;  // of the fact, for input order
};

class HostRequestLedger {
 public:
  HostRequestLedger();
  ~HostRequestLedger();
  HostRequestLedger(const HostRequestLedger&) = delete;
  HostRequestLedger& operator=(const HostRequestLedger&) = delete;

  // Thread-safe. A kms.host-request fact, numbered like FactStore::add (input unit, position in it).
  void add(const Record& request, uint64_t unit, uint64_t seq);
  // Thread-safe. Any fact that is not a 12290: a client's request (kms.client-request) marks its CMID
  // as one whose request times seal() keeps, to join the attempt to the host's requests. A host log
  // alone needs no times, which would cost 8 bytes a request.
  void note_client_fact(const Record& fact);
  // After the last add() and before reading: drops duplicates, computes the views below.
  void seal();

  const std::vector<LedgerHost>& hosts() const { return hosts_; }  // by key
  const std::vector<LedgerCmid>& cmids() const { return cmids_; }  // by cmid
  const LedgerCmid* cmid(std::string_view cmid) const;             // any case; null when never logged
  // Once clients' attempts are joined to the requests (HostSightings), their times are not needed.
  void forget_times();
  // Once every summary is built nothing reads the views: frees them and their text (a big host log's
  // CMIDs are most of what is left when the rules run). Counts and paths stay.
  void release();
  // The refusals in no particular order; the ledger no longer has them afterwards.
  std::vector<LedgerRefusal> take_refusals();
  bool logged_in(const std::string& path) const { return paths_.count(path) > 0; }  // input held a 12290
  uint64_t requests() const { return requests_; }
  int64_t latest_ms() const { return latest_ms_; }

 private:
  struct State;  // what add() accumulates; gone after seal()
  std::mutex m_;
  std::unique_ptr<State> state_;
  StringPool text_;  // every CMID, name and path the views refer to
  std::vector<LedgerHost> hosts_;
  std::vector<LedgerCmid> cmids_;
  std::vector<LedgerRefusal> refusals_;
  std::set<std::string> paths_;
  uint64_t requests_ = 0;
  int64_t latest_ms_ = kNoTime;
};

}  // namespace kmsdiag::correlation
