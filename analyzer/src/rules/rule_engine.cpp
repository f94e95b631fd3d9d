#include "rules/rule_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_set>

#include "rules/aggregator.hpp"

namespace kmsdiag {

RecordIndex::RecordIndex(const std::vector<Record>& records) : records_(records) {
  for (size_t i = 0; i < records.size(); ++i) by_kind_[records[i].kind].push_back(i);
}

std::vector<const Record*> RecordIndex::of_kinds(const std::vector<std::string>& kinds) const {
  std::vector<size_t> positions;
  for (const std::string& kind : kinds)
    if (auto it = by_kind_.find(kind); it != by_kind_.end())
      positions.insert(positions.end(), it->second.begin(), it->second.end());
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  std::vector<const Record*> out;
  out.reserve(positions.size());
  for (size_t p : positions) out.push_back(&records_[p]);
  return out;
}

namespace {

bool matches(const MatchSpec& m, const Record& r) {
  const RecordLookup values(r);
  if (!all_hold(m.where, values)) return false;
  if (m.any.empty()) return true;
  return std::any_of(m.any.begin(), m.any.end(), [&](const auto& alt) { return all_hold(alt, values); });
}

// The records of one group that `having` accepts: all or none without a window; with a window,
// every record inside a qualifying window (the longest window starting at each record is tested).
// Records without a time cannot be placed in a window and are left out then.
std::vector<const Record*> select(const Rule& rule, const std::vector<const Record*>& group) {
  const MatchSpec& m = rule.match;
  if (!m.window_ms) {
    if (m.having.empty()) return group;
    Aggregator agg(rule.aggregates);
    for (const Record* r : group) agg.push_back(*r);
    return all_hold(m.having, agg) ? group : std::vector<const Record*>{};
  }
  std::vector<const Record*> timed;
  for (const Record* r : group)
    if (r->time_ms != kNoTime) timed.push_back(r);
  std::vector<const Record*> chosen;
  Aggregator agg(rule.aggregates);
  size_t end = 0, covered = 0;
  for (size_t begin = 0; begin < timed.size(); ++begin) {
    while (end < timed.size() && timed[end]->time_ms - timed[begin]->time_ms <= *m.window_ms)
      agg.push_back(*timed[end++]);
    if (all_hold(m.having, agg)) {
      for (size_t k = std::max(begin, covered); k < end; ++k) chosen.push_back(timed[k]);
      covered = end;
    }
    agg.pop_front();
  }
  return chosen;
}

// Distinct values of a field in time order, case-insensitively, with original spelling.
std::vector<std::string> distinct_values(const std::vector<const Record*>& records, std::string_view field) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  std::string scratch;
  for (const Record* r : records) {
    const std::optional<std::string_view> v = RecordLookup(*r).get(field, scratch);
    if (!v || trim(*v).empty()) continue;
    if (seen.insert(ascii_lower(trim(*v))).second) out.emplace_back(trim(*v));
  }
  return out;
}

// What an `explain` template sees: the group's aggregates, its first record's fields, {group.F},
// {values.F}, {first_time} and {last_time}.
class ExplainLookup : public ValueLookup {
 public:
  ExplainLookup(const Aggregator& agg, const std::vector<const Record*>& records, const Finding& f)
      : agg_(agg), records_(records), finding_(f) {}

  std::optional<std::string_view> get(std::string_view name, std::string& scratch) const override {
    if (name.rfind("group.", 0) == 0) return RecordLookup(*records_.front()).get(name.substr(6), scratch);
    if (name.rfind("values.", 0) == 0) {
      scratch = shorten_list(distinct_values(records_, name.substr(7)));
      return std::string_view(scratch);
    }
    if (name == "first_time" || name == "last_time") {
      const int64_t t = name == "first_time" ? finding_.first_ms : finding_.last_ms;
      if (t == kNoTime) return std::nullopt;
      scratch = format_time(t);
      return std::string_view(scratch);
    }
    return agg_.get(name, scratch);
  }

 private:
  const Aggregator& agg_;
  const std::vector<const Record*>& records_;
  const Finding& finding_;
};

Finding build_finding(const Rule& rule, const std::vector<const Record*>& records) {
  Finding f;
  f.rule_id = rule.id;
  f.cause = rule.cause;
  f.severity = rule.severity;
  f.title = rule.title;
  f.remediation = rule.remediation;
  f.references = rule.references;
  f.explains = rule.explains;
  f.evidence_total = records.size();

  for (const Record* r : records) {
    if (r->time_ms == kNoTime) continue;
    if (f.first_ms == kNoTime || r->time_ms < f.first_ms) f.first_ms = r->time_ms;
    f.last_ms = std::max(f.last_ms, r->time_ms);
  }
  for (size_t i = 0; i < records.size() && i < kEvidenceCap; ++i) {
    const Record& r = *records[i];
    f.evidence.push_back(
        {r.source, r.time_ms, r.machine, rule.evidence.empty() ? r.kind : rule.evidence.render(RecordLookup(r))});
  }
  std::vector<std::string> machines = distinct_values(records, "machine");
  std::sort(machines.begin(), machines.end(),
            [](const std::string& a, const std::string& b) { return ascii_lower(a) < ascii_lower(b); });
  f.machine_total = machines.size();
  if (machines.size() > kMachineCap) machines.resize(kMachineCap);
  f.machines = std::move(machines);

  Aggregator agg(rule.aggregates);
  for (const Record* r : records) agg.push_back(*r);
  std::string scratch;
  for (const std::string& field : rule.match.group_by)
    f.facts[field] = std::string(RecordLookup(*records.front()).get(field, scratch).value_or(""));
  f.facts["count"] = std::to_string(records.size());
  for (const std::string& name : rule.aggregates)
    if (auto v = agg.get(name, scratch)) f.facts[name] = std::string(*v);
  f.explanation = rule.explain.render(ExplainLookup(agg, records, f));
  return f;
}

}  // namespace

std::vector<Finding> evaluate_rule(const Rule& rule, const RecordIndex& index) {
  std::map<std::string, std::vector<const Record*>> groups;  // ordered: deterministic output
  std::string scratch;
  for (const Record* r : index.of_kinds(rule.match.kinds)) {
    if (!matches(rule.match, *r)) continue;
    std::string key;
    for (const std::string& field : rule.match.group_by) {
      key += ascii_lower(trim(RecordLookup(*r).get(field, scratch).value_or("")));
      key += '\x1f';
    }
    groups[key].push_back(r);
  }
  std::vector<Finding> findings;
  for (auto& [key, group] : groups) {
    std::stable_sort(group.begin(), group.end(),
                     [](const Record* a, const Record* b) { return a->time_ms < b->time_ms; });
    const std::vector<const Record*> chosen = select(rule, group);
    if (!chosen.empty()) findings.push_back(build_finding(rule, chosen));
  }
  return findings;
}

}  // namespace kmsdiag
