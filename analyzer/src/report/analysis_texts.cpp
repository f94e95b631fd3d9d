#include "report/analysis_texts.hpp"

#include <map>

namespace kmsdiag {

void rewrite_texts(Analysis& analysis, const std::function<std::string(std::string_view)>& rewrite) {
  const auto all = [&](std::vector<std::string>& items) {
    for (std::string& s : items) s = rewrite(s);
  };
  for (Finding& f : analysis.findings) {
    f.title = rewrite(f.title);
    all(f.remediation);
    f.explanation = rewrite(f.explanation);
    for (Evidence& e : f.evidence) {
      e.source.path = rewrite(e.source.path);
      e.machine = rewrite(e.machine);
      e.summary = rewrite(e.summary);
    }
    all(f.machines);
    all(f.unnamed_machines);
    for (auto& [k, v] : f.facts) v = rewrite(v);
    for (auto& [field, values] : f.lists) all(values);
  }
  for (InputSummary& in : analysis.inputs) {
    in.path = rewrite(in.path);
    in.skipped = rewrite(in.skipped);
    for (Problem& p : in.problems) {
      p.where.path = rewrite(p.where.path);
      p.message = rewrite(p.message);
    }
  }
  for (HostCountSeries& h : analysis.fleet.host_counts) h.host = rewrite(h.host);
  for (MachineProduct& m : analysis.fleet.machines) {
    m.machine = rewrite(m.machine);
    m.kms_host = rewrite(m.kms_host);
    m.cmid = rewrite(m.cmid);
    m.source.path = rewrite(m.source.path);
  }
  std::map<std::string, uint64_t> ignored;
  for (const auto& [kind, n] : analysis.ignored_events) ignored[rewrite(kind)] += n;
  analysis.ignored_events = std::move(ignored);
  analysis.rule_set.path = rewrite(analysis.rule_set.path);
}

}  // namespace kmsdiag
