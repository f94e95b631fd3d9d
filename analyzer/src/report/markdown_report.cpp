// The Markdown report: paste-ready for a ticket. The verdict first, then each root cause with the symptoms
// it explains (headings one level deeper), each with its explanation, an evidence table, the machines and the
// remediation steps in a fenced block; then the inputs that could not be read. Every text from the input goes
// through markdown_text (or a fence): names are attacker-controlled.
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "model/machine_place.hpp"
#include "report/explanation_tree.hpp"
#include "report/markdown_text.hpp"
#include "report/report.hpp"
#include "report/terminal_text.hpp"

namespace kmsdiag {
namespace {

// "a, b, c" of already-escaped items, or "3 machines, first 2: a, b … and 1 more" (summarise_list, escaped).
std::string escaped_summary(const std::vector<std::string>& items, uint64_t total, size_t sample,
                            std::string_view singular, std::string_view plural) {
  std::vector<std::string> safe;
  for (size_t i = 0; i < items.size() && i < sample; ++i) safe.push_back(markdown_text(items[i]));
  return summarise_list(safe, std::max<uint64_t>(total, items.size()), sample, singular, plural);
}

void write_verdict(const ExplanationTree& tree, std::ostream& out) {
  const Verdict& v = tree.verdict;
  out << "## Verdict\n\n";
  if (v.kind == VerdictKind::nothing_analysed) {
    out << "**Nothing analysed:** every input was skipped or held no member to read.\n";
  } else if (v.kind == VerdictKind::no_problem_found) {
    out << "**No activation problem found**"
        << (v.no_kms_events ? " (the inputs hold no KMS activation events to check)" : "") << ".\n";
  } else {
    out << fmt::format("**{}** found ({} at worst). {}:\n\n",
                       count_of(v.actionable, "activation problem", "activation problems"), to_string(v.worst),
                       v.causes.size() == 1 ? "Root cause" : "Root causes");
    for (const Finding* f : v.causes)
      out << fmt::format("- **{}** ({})\n", markdown_text(f->title), markdown_text(f->cause));
  }
  if (v.inputs_with_problems > 0)
    out << fmt::format("\n{} could not be read completely (see *Inputs with problems*).\n",
                       count_of(v.inputs_with_problems, "input", "inputs"));
}

void write_evidence(const Finding& f, const TerminalOptions& options, std::ostream& out) {
  if (f.evidence.empty()) return;
  const uint64_t total = evidence_total(f);
  const size_t shown = std::min(f.evidence.size(), options.sample);
  out << fmt::format("**Evidence:** {}{}\n\n", count_of(total, "record", "records"),
                     shown < total ? fmt::format(", first {}", shown) : "");
  out << "| source | time | machine | what it shows |\n|---|---|---|---|\n";
  for (size_t i = 0; i < shown; ++i) {
    const Evidence& e = f.evidence[i];
    out << fmt::format("| {} | {} | {} | {} |\n", markdown_text(e.source.describe()), format_time(e.time_ms),
                       markdown_text(e.machine), markdown_text(e.summary));
  }
  if (shown < total) out << fmt::format("\n… and {} more.\n", group_digits(total - shown));
  out << "\n";
}

void write_finding(const ExplanationNode& node, const TerminalOptions& options, std::ostream& out) {
  const Finding& f = *node.finding;
  // Root causes are level 3 under "## Findings"; each symptom one deeper, as far as Markdown goes.
  const std::string heading(std::min<size_t>(3 + node.depth, 6), '#');
  out << fmt::format("{} {}{}: {} ({})\n\n", heading,
                     node.depth == 0 ? "" : "Explains: ", ascii_upper(to_string(f.severity)), markdown_text(f.title),
                     markdown_text(f.cause));
  if (node.repeat) {
    out << "Shown in full above.\n\n";
    return;
  }
  if (!f.explanation.empty()) out << markdown_text(f.explanation) << "\n\n";
  write_evidence(f, options, out);
  const std::vector<std::string> machines = shown_machines(f);
  if (!machines.empty())
    out << "**Machines:** " << escaped_summary(machines, machine_total(f), options.sample, "machine", "machines")
        << "\n\n";
  if (const std::string seen = seen_span(f); !seen.empty()) out << "**Seen:** " << seen << "\n\n";
  if (node.same_steps_as_previous) {
    if (!f.remediation.empty()) out << "**What to do:** as above.\n\n";
    return;
  }
  if (!f.remediation.empty()) out << "**What to do:**\n\n" << markdown_fence(f.remediation, "text") << "\n";
  if (!f.references.empty()) {
    out << "**References:**\n\n";
    // An autolink is taken literally (no escapes inside), so only a URL that cannot end it early is one.
    for (const std::string& url : f.references)
      out << "- "
          << (std::none_of(url.begin(), url.end(),
                           [](char c) { return c == '<' || c == '>' || static_cast<unsigned char>(c) <= ' '; })
                  ? "<" + url + ">"
                  : markdown_text(url))
          << "\n";
    out << "\n";
  }
}

void write_inputs(const Analysis& analysis, const TerminalOptions& options, std::ostream& out) {
  std::vector<const InputSummary*> listed;
  for (const InputSummary& in : analysis.inputs)
    if (options.verbose || !in.problems.empty() || !in.skipped.empty()) listed.push_back(&in);
  if (listed.empty()) return;
  out << (options.verbose ? "## Inputs\n\n" : "## Inputs with problems\n\n");
  out << "| file | format | records | KMS events | status |\n|---|---|---:|---:|---|\n";
  for (const InputSummary* in : listed) {
    std::string status = "ok";
    if (!in->skipped.empty())
      status = "skipped: " + markdown_text(in->skipped);
    else if (!in->problems.empty())
      status = count_of(in->problems.size() + in->problems_not_listed, "problem", "problems");
    out << fmt::format("| {} | {} | {} | {} | {} |\n", markdown_text(in->path),
                       in->format.empty() ? "-" : markdown_text(in->format), group_digits(in->records),
                       group_digits(in->kms_records), status);
  }
  out << "\n";
  for (const InputSummary* in : listed) {
    if (in->problems.empty()) continue;
    std::vector<std::string> lines;
    for (size_t i = 0; i < in->problems.size() && i < options.sample; ++i) lines.push_back(in->problems[i].describe());
    const uint64_t more = in->problems.size() - lines.size() + in->problems_not_listed;
    if (more > 0) lines.push_back(fmt::format("… and {} more", group_digits(more)));
    out << markdown_fence(lines) << "\n";
  }
}

}  // namespace

void render_markdown(const Analysis& analysis, std::ostream& out, const TerminalOptions& options) {
  const ExplanationTree tree = explanation_tree(analysis);
  out << "# kmsdiag report\n\n";
  out << fmt::format(
      "{} read{}, {}, {}{}.\n\n", count_of(analysis.inputs.size() - tree.inputs_skipped, "input", "inputs"),
      tree.inputs_skipped ? fmt::format(" ({} skipped)", group_digits(tree.inputs_skipped)) : "",
      count_of(analysis.records_total, "record", "records"),
      count_of(analysis.kms_records_total, "KMS event", "KMS events"), analysis.live ? ", live probes included" : "");
  write_verdict(tree, out);
  if (!tree.nodes.empty()) {
    out << "\n## Findings\n\n";
    for (const ExplanationNode& node : tree.nodes) write_finding(node, options, out);
  } else {
    out << "\n";
  }
  write_inputs(analysis, options, out);
}

}  // namespace kmsdiag
