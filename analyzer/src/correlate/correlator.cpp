#include "correlate/correlator.hpp"

#include <algorithm>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag {

FleetOverview correlate(std::vector<Record>& facts, correlation::HostRequestLedger& ledger,
                        const std::vector<InputSummary>& inputs, const Knowledge& kb, const UnreadFacts& unread) {
  using namespace correlation;
  // Every step reads only interpreted facts (plus the attempts, for the summaries that count them),
  // so the derived records are computed first and appended at the end.
  std::vector<Record> input_records = summarise_inputs(ledger, inputs);
  bool host_logs = false;
  for (const auto& r : input_records) host_logs |= r.get("kms_log") == "1";
  std::vector<Record> attempts = pair_client_attempts(facts, ledger, host_logs, kb);
  ledger.forget_times();  // 8 bytes a request, needed only to join the attempts to the host's requests
  std::vector<Record> hosts = summarise_hosts(ledger, attempts, kb);
  Record dataset = summarise_dataset(facts, ledger, input_records, attempts, unread);
  // The host's refusals are attempts too, but the summaries above count the clients' own view only.
  std::vector<Record> refused = host_side_attempts(facts);
  std::vector<Record> states = client_log_states(attempts);
  // The kms.cmid records (one per CMID: 50,000 for a big host log) are built in place, after the facts
  // they summarise, and the small groups are moved in before them.
  const size_t interpreted = facts.size();
  summarise_cmids(facts, ledger,
                  attempts.size() + refused.size() + states.size() + hosts.size() + input_records.size() + 1);
  const size_t cmids = facts.size() - interpreted;
  FleetOverview fleet;
  fleet.host_counts = host_count_series(ledger, kb);
  ledger.release();
  fold_echoed_attempts(facts, attempts);

  const auto in_front = static_cast<std::ptrdiff_t>(facts.size() - cmids);
  for (auto* group : {&attempts, &refused, &states})
    for (auto& r : *group) facts.push_back(std::move(r));
  std::rotate(facts.begin() + in_front, facts.begin() + in_front + static_cast<std::ptrdiff_t>(cmids), facts.end());
  for (auto* group : {&hosts, &input_records})
    for (auto& r : *group) facts.push_back(std::move(r));
  facts.push_back(std::move(dataset));
  annotate_machine_context(facts);
  mark_superseded_states(facts);
  annotate_key_groups(facts, kb);
  fleet.failures = client_failure_timeline(facts);
  list_machine_products(facts, fleet);
  return fleet;
}

size_t correlation_room(size_t facts, const correlation::HostRequestLedger& ledger, size_t inputs) {
  constexpr size_t kRunSummaries = 2;  // kms.hosts, dataset
  return facts + ledger.cmids().size() + ledger.hosts().size() * (1 + correlation::kMaxCountLines) + inputs +
         kRunSummaries;
}

FleetOverview correlate(std::vector<Record>& facts, const std::vector<InputSummary>& inputs, const Knowledge& kb) {
  correlation::HostRequestLedger ledger;
  for (size_t i = 0; i < facts.size(); ++i)
    if (correlation::is_host_request(facts[i]))
      ledger.add(facts[i], 0, i);
    else
      ledger.note_client_fact(facts[i]);
  ledger.seal();
  std::vector<correlation::LedgerRefusal> refusals = ledger.take_refusals();
  std::sort(refusals.begin(), refusals.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  std::vector<Record> kept;
  kept.reserve(facts.size());
  auto refusal = refusals.begin();
  for (size_t i = 0; i < facts.size(); ++i) {
    if (refusal != refusals.end() && refusal->seq == i) kept.push_back(std::move((refusal++)->fact));
    if (!correlation::is_host_request(facts[i])) kept.push_back(std::move(facts[i]));
  }
  facts = std::move(kept);
  return correlate(facts, ledger, inputs, kb, UnreadFacts{});
}

bool correlation_reads(const EventLayout& layout) {
  using namespace correlation;
  for (std::string_view kind :
       {kClientRequestKind, kClientResponseKind, kAttemptKind, kLicenseStateKind, kHostRequestKind})
    if (layout.kind == kind) return true;
  return std::any_of(layout.fields.begin(), layout.fields.end(), [](const FieldLayout& f) { return f.name == "cmid"; });
}

}  // namespace kmsdiag
