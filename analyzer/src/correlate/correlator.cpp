#include "correlate/correlator.hpp"

#include "correlate/correlation_steps.hpp"

namespace kmsdiag {

void correlate(std::vector<Record>& facts, const std::vector<InputSummary>& inputs, const Knowledge& kb) {
  using namespace correlation;
  // Every step reads only interpreted facts (plus the attempts, for the summaries that count them),
  // so the derived records are computed first and appended at the end.
  drop_duplicate_sources(facts);
  annotate_host_counts(facts);
  std::vector<Record> input_records = summarise_inputs(facts, inputs);
  bool host_logs = false;
  for (const auto& r : input_records) host_logs |= r.get("kms_log") == "1";
  std::vector<Record> attempts = pair_client_attempts(facts, host_logs, kb);
  std::vector<Record> cmids = summarise_cmids(facts);
  std::vector<Record> hosts = summarise_hosts(facts, attempts);
  Record dataset = summarise_dataset(facts, input_records, attempts);
  // The host's refusals are attempts too, but the summaries above count the clients' own view only.
  std::vector<Record> refused = host_side_attempts(facts);
  std::vector<Record> states = client_log_states(attempts);
  fold_echoed_attempts(facts, attempts);

  facts.reserve(facts.size() + attempts.size() + refused.size() + states.size() + cmids.size() + hosts.size() +
                input_records.size() + 1);
  for (auto* group : {&attempts, &refused, &states, &cmids, &hosts, &input_records})
    for (auto& r : *group) facts.push_back(std::move(r));
  facts.push_back(std::move(dataset));
  annotate_machine_context(facts);
  mark_superseded_states(facts);
  annotate_key_groups(facts, kb);
}

}  // namespace kmsdiag
