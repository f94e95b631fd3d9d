// The one tree every analysis renderer walks: the verdict, then each root cause followed by the symptoms it
// explains (nested), each finding carrying its evidence. Built once from the Analysis so that the terminal,
// JSON, Markdown and any later renderer agree on what is a root cause, in which order findings come and
// what the verdict says; they differ only in how they write it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/analysis.hpp"

namespace kmsdiag {

enum class VerdictKind { nothing_analysed, no_problem_found, problems_found };
std::string_view to_string(VerdictKind kind);  // "nothing-analysed", "no-problem-found", "problems-found"

struct Verdict {
  VerdictKind kind = VerdictKind::no_problem_found;
  size_t actionable = 0;               // findings of severity warning or worse
  Severity worst = Severity::info;     // the most severe of them (info when there is none)
  std::vector<const Finding*> causes;  // the actionable root causes, in tree order
  bool no_kms_events = false;          // nothing about activation was in the inputs to check
  size_t inputs_with_problems = 0;     // inputs that could not be read completely
};

struct ExplanationNode {
  const Finding* finding = nullptr;
  size_t depth = 0;     // 0 = root cause, 1 = a symptom it explains, ...
  bool repeat = false;  // already shown in full under an earlier cause: a reference only
  // The node before it, at the same depth, came from the same rule with the same steps and references: a
  // renderer for people may say "as above" instead of repeating them (a rule grouped per machine yields dozens).
  bool same_steps_as_previous = false;
  bool root_cause() const { return depth == 0 && !repeat; }
};

struct ExplanationTree {
  Verdict verdict;
  std::vector<ExplanationNode> nodes;  // pre-order: a root cause, then what it explains, then the next root
  size_t root_causes = 0;              // nodes with root_cause()
  size_t inputs_skipped = 0;           // inputs not read at all
};

// The verdict in one sentence, as every report for people states it: "Verdict: 2 activation problems found; 1
// root cause: ...", "Verdict: no activation problem found", "Verdict: nothing analysed: ...".
std::string verdict_sentence(const Verdict& verdict);

// The tree of `analysis`; it points into analysis.findings, which must outlive it.
ExplanationTree explanation_tree(const Analysis& analysis);

// The machines a finding names, then those its output did not name, labelled by where the output is.
std::vector<std::string> shown_machines(const Finding& f);
// When the finding's evidence happened: "from <first> to <last>", "at <time>", or "" when undated.
std::string seen_span(const Finding& f);

// A finding's counts as reported: never fewer than what it lists.
uint64_t evidence_total(const Finding& f);
uint64_t machine_total(const Finding& f);

}  // namespace kmsdiag
