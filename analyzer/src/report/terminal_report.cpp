#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "model/machine_place.hpp"
#include "model/printable_text.hpp"
#include "report/analysis_texts.hpp"
#include "report/explanation_tree.hpp"
#include "report/report.hpp"
#include "report/terminal_inputs.hpp"
#include "report/terminal_text.hpp"

namespace kmsdiag {
namespace {

// "path record 5 (EventRecordID 812)  time  machine  summary", leaving out the parts a record lacks.
std::string evidence_line(const Evidence& e, const Palette& palette) {
  std::string line = e.source.path.empty() ? "" : palette.paint(e.source.describe(), Style::dim);
  for (const std::string& part : {format_time(e.time_ms), e.machine, e.summary}) {
    if (part.empty()) continue;
    if (!line.empty()) line += "  ";
    line += part;
  }
  return line;
}

class FindingWriter {
 public:
  FindingWriter(std::ostream& out, const TerminalOptions& options, const Palette& palette)
      : out_(out), options_(options), palette_(palette) {}

  void write(const ExplanationNode& node) {
    const Finding& f = *node.finding;
    const size_t depth = node.depth;
    const std::string pad(2 + depth * 4, ' ');
    const std::string marker = depth == 0 ? "" : "explains: ";
    const std::string label = palette_.paint(ascii_upper(to_string(f.severity)), f.severity);
    out_ << "\n"
         << std::string(depth * 4, ' ') << marker << label << "  " << palette_.paint(f.title, Style::bold) << "  ["
         << f.cause << "]\n";
    if (node.repeat) {
      out_ << pad << "(shown in full above)\n";
      return;
    }
    if (!f.explanation.empty()) out_ << pad << f.explanation << "\n";
    write_evidence(f, pad);
    const std::vector<std::string> machines = shown_machines(f);
    if (!machines.empty())
      out_ << pad << summarise_list(machines, machine_total(f), options_.sample, "machine", "machines") << "\n";
    if (const std::string seen = seen_span(f); !seen.empty()) out_ << pad << "Seen " << seen << "\n";
    if (node.same_steps_as_previous) {
      if (!f.remediation.empty()) out_ << pad << "What to do: as above\n";
      return;
    }
    write_list(pad, "What to do:", f.remediation, "- ");
    write_list(pad, "References:", f.references, "- ");
  }

 private:
  void write_evidence(const Finding& f, const std::string& pad) {
    if (f.evidence.empty()) return;
    const uint64_t total = evidence_total(f);
    const size_t shown = std::min(f.evidence.size(), options_.sample);
    out_ << pad << "Evidence: " << count_of(total, "record", "records")
         << (shown < total ? fmt::format(", first {}:", shown) : ":") << "\n";
    for (size_t i = 0; i < shown; ++i) out_ << pad << "  " << evidence_line(f.evidence[i], palette_) << "\n";
    if (shown < total) out_ << pad << "  … and " << group_digits(total - shown) << " more\n";
  }

  void write_list(const std::string& pad, std::string_view heading, const std::vector<std::string>& items,
                  std::string_view bullet) {
    if (items.empty()) return;
    out_ << pad << heading << "\n";
    for (const auto& item : items) out_ << pad << "  " << bullet << item << "\n";
  }

  std::ostream& out_;
  const TerminalOptions& options_;
  const Palette& palette_;
};

void render_header(const Analysis& analysis, const ExplanationTree& tree, std::ostream& out, const Palette& palette) {
  const size_t skipped = tree.inputs_skipped;
  std::string line = fmt::format("kmsdiag: {} read", count_of(analysis.inputs.size() - skipped, "input", "inputs"));
  if (skipped) line += fmt::format(" ({} skipped)", group_digits(skipped));
  line += fmt::format(", {}, {}", count_of(analysis.records_total, "record", "records"),
                      count_of(analysis.kms_records_total, "KMS event", "KMS events"));
  if (analysis.live) line += ", live probes included";
  out << palette.paint(line, Style::bold) << "\n";
}

void render_verdict(const Verdict& verdict, std::ostream& out, const Palette& palette) {
  out << "\n";
  const std::string line = verdict_sentence(verdict);
  if (verdict.kind == VerdictKind::nothing_analysed)
    out << palette.paint(line, Style::warning) << "\n";
  else if (verdict.kind == VerdictKind::no_problem_found)
    out << palette.paint(line, Style::ok) << "\n";
  else
    out << palette.paint(line, verdict.worst) << "\n";
  if (verdict.inputs_with_problems > 0)
    out << fmt::format("Note: {} could not be read completely (see the input table above).\n",
                       count_of(verdict.inputs_with_problems, "input", "inputs"));
}

}  // namespace

void render_terminal(const Analysis& input, std::ostream& out, const TerminalOptions& options) {
  // A name from the input may hold an escape sequence that recolours or clears the terminal, or a line break
  // that forges a line of the report: every text is shown with its control characters made visible.
  Analysis analysis = input;
  rewrite_texts(analysis, [](std::string_view text) { return printable(text); });
  const Palette palette(options.color);
  const ExplanationTree tree = explanation_tree(analysis);
  render_header(analysis, tree, out, palette);
  FindingWriter writer(out, options, palette);
  for (const ExplanationNode& node : tree.nodes) writer.write(node);
  render_input_table(analysis, out, options, palette);
  render_ignored_events(analysis, out, options);
  render_verdict(tree.verdict, out, palette);
}

}  // namespace kmsdiag
