#include "report/explanation_tree.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "model/machine_place.hpp"
#include "report/finding_outline.hpp"
#include "report/terminal_text.hpp"

namespace kmsdiag {

std::string_view to_string(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::nothing_analysed:
      return "nothing-analysed";
    case VerdictKind::problems_found:
      return "problems-found";
    case VerdictKind::no_problem_found:
      break;
  }
  return "no-problem-found";
}

ExplanationTree explanation_tree(const Analysis& analysis) {
  ExplanationTree tree;
  for (const OutlineEntry& entry : finding_outline(analysis.findings)) {
    ExplanationNode node{&analysis.findings[entry.index], entry.depth, entry.repeat, false};
    const Finding& f = *node.finding;
    const ExplanationNode* previous = tree.nodes.empty() ? nullptr : &tree.nodes.back();
    if (previous && previous->depth == node.depth && !previous->repeat && !node.repeat) {
      const Finding& before = *previous->finding;
      node.same_steps_as_previous =
          before.rule_id == f.rule_id && before.remediation == f.remediation && before.references == f.references;
    }
    tree.root_causes += node.root_cause();
    if (f.severity >= Severity::warning && !node.repeat) {
      tree.verdict.worst = std::max(tree.verdict.worst, f.severity);
      if (node.depth == 0) tree.verdict.causes.push_back(&f);
    }
    tree.nodes.push_back(node);
  }
  Verdict& v = tree.verdict;
  v.actionable = actionable_findings(analysis);
  v.kind = nothing_analysed(analysis) ? VerdictKind::nothing_analysed
           : v.actionable > 0         ? VerdictKind::problems_found
                                      : VerdictKind::no_problem_found;
  v.no_kms_events = analysis.kms_records_total == 0;
  v.inputs_with_problems = inputs_with_problems(analysis);
  tree.inputs_skipped = static_cast<size_t>(std::count_if(analysis.inputs.begin(), analysis.inputs.end(),
                                                          [](const InputSummary& in) { return !in.skipped.empty(); }));
  return tree;
}

uint64_t evidence_total(const Finding& f) { return std::max<uint64_t>(f.evidence_total, f.evidence.size()); }

uint64_t machine_total(const Finding& f) {
  return std::max<uint64_t>(f.machine_total, f.machines.size() + f.unnamed_machines.size());
}

std::string verdict_sentence(const Verdict& verdict) {
  if (verdict.kind == VerdictKind::nothing_analysed)
    return "Verdict: nothing analysed: every input was skipped or held no member to read";
  if (verdict.kind == VerdictKind::no_problem_found)
    return std::string("Verdict: no activation problem found") +
           (verdict.no_kms_events ? " (the inputs hold no KMS activation events to check)" : "");
  std::vector<std::string> roots;
  for (const Finding* f : verdict.causes) roots.push_back(f->title);
  return fmt::format("Verdict: {} found; {}", count_of(verdict.actionable, "activation problem", "activation problems"),
                     summarise_list(roots, roots.size(), roots.size(), "root cause", "root causes"));
}

std::vector<std::string> shown_machines(const Finding& f) {
  std::vector<std::string> machines = f.machines;
  for (const std::string& where : f.unnamed_machines) machines.push_back(unnamed_machine_label(where));
  return machines;
}

std::string seen_span(const Finding& f) {
  if (f.first_ms == kNoTime) return "";
  if (f.last_ms != kNoTime && f.last_ms != f.first_ms)
    return fmt::format("from {} to {}", format_time(f.first_ms), format_time(f.last_ms));
  return fmt::format("at {}", format_time(f.first_ms));
}

}  // namespace kmsdiag
