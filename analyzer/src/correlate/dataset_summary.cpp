#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {
namespace {

// Facts about activation itself (requests, answers, failures, host and client state, SRV lookups),
// as opposed to the Software Protection service's own housekeeping (start/stop, rule re-evaluation),
// which every Windows log has and which says nothing about KMS.
bool is_activation_kind(std::string_view kind) {
  for (std::string_view prefix : {"kms.", "dns.", "adba.", "activation.", "license."})
    if (kind.starts_with(prefix)) return true;
  return false;
}

bool is_activation_evidence(const Record& f) {
  if (f.kind == kLicenseStateKind && f.get("via") == "spp-8230") return false;  // rule re-evaluation
  return is_activation_kind(f.kind);
}

void keep_latest(int64_t& latest, int64_t time_ms) {
  if (time_ms != kNoTime && (latest == kNoTime || time_ms > latest)) latest = time_ms;
}

}  // namespace

Record summarise_dataset(const std::vector<Record>& facts, const HostRequestLedger& ledger,
                         const std::vector<Record>& input_records, const std::vector<Record>& attempts,
                         const UnreadFacts& unread) {
  uint64_t records = 0, kms_records = 0, host_logs = 0;
  for (const auto& in : input_records) {
    records += static_cast<uint64_t>(to_number(in.get("records")).value_or(0));
    kms_records += static_cast<uint64_t>(to_number(in.get("kms_records")).value_or(0));
    host_logs += in.get("kms_log") == "1";
  }
  // Every 12290 is activation evidence; the refusals among `facts` are in the ledger's count already.
  uint64_t client_requests = 0, client_responses = 0, activation_events = ledger.requests();
  int64_t latest = ledger.latest_ms();
  for (const auto& f : facts) {
    if (is_host_request(f)) continue;
    client_requests += f.kind == kClientRequestKind;
    client_responses += f.kind == kClientResponseKind;
    activation_events += is_activation_evidence(f);
    keep_latest(latest, f.time_ms);
  }
  for (const UnreadFacts::Kind& k : unread.kinds()) {
    activation_events += is_activation_kind(k.kind) ? k.facts : 0;
    keep_latest(latest, k.latest_ms);
  }
  Record r;
  r.kind = "dataset";
  r.time_ms = latest;
  r.set("inputs", std::to_string(input_records.size()));
  r.set("records", std::to_string(records));
  r.set("kms_records", std::to_string(kms_records));
  r.set("host_logs", std::to_string(host_logs));
  r.set("host_requests", std::to_string(ledger.requests()));
  r.set("client_requests", std::to_string(client_requests));
  r.set("client_responses", std::to_string(client_responses));
  r.set("client_attempts", std::to_string(attempts.size()));
  r.set("activation_events", std::to_string(activation_events));
  r.set("latest", format_time(latest));
  return r;
}

}  // namespace kmsdiag::correlation
