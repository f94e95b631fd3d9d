#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "model/machine_place.hpp"
#include "report/finding_outline.hpp"
#include "report/report.hpp"
#include "report/terminal_inputs.hpp"
#include "report/terminal_text.hpp"

namespace kmsdiag {
namespace {

std::string upper(std::string_view text) {
  std::string s(text);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

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

  // `sibling`: the previous finding at this depth came from the same rules, so the steps and references
  // were just printed; say so instead of repeating them (a rule grouped per machine can yield dozens).
  void write(const Finding& f, size_t depth, bool repeat, bool sibling) {
    const std::string pad(2 + depth * 4, ' ');
    const std::string marker = depth == 0 ? "" : "explains: ";
    const std::string label = palette_.paint(upper(to_string(f.severity)), f.severity);
    out_ << "\n"
         << std::string(depth * 4, ' ') << marker << label << "  " << palette_.paint(f.title, Style::bold) << "  ["
         << f.cause << "]\n";
    if (repeat) {
      out_ << pad << "(shown in full above)\n";
      return;
    }
    if (!f.explanation.empty()) out_ << pad << f.explanation << "\n";
    write_evidence(f, pad);
    std::vector<std::string> machines = f.machines;
    for (const std::string& where : f.unnamed_machines) machines.push_back(unnamed_machine_label(where));
    if (!machines.empty())
      out_ << pad
           << summarise_list(machines, std::max<uint64_t>(f.machine_total, machines.size()), options_.sample, "machine",
                             "machines")
           << "\n";
    if (f.first_ms != kNoTime)
      out_ << pad << "Seen "
           << (f.last_ms != kNoTime && f.last_ms != f.first_ms
                   ? fmt::format("from {} to {}", format_time(f.first_ms), format_time(f.last_ms))
                   : fmt::format("at {}", format_time(f.first_ms)))
           << "\n";
    if (sibling) {
      if (!f.remediation.empty()) out_ << pad << "What to do: as above\n";
      return;
    }
    write_list(pad, "What to do:", f.remediation, "- ");
    write_list(pad, "References:", f.references, "- ");
  }

 private:
  void write_evidence(const Finding& f, const std::string& pad) {
    if (f.evidence.empty()) return;
    const uint64_t total = std::max<uint64_t>(f.evidence_total, f.evidence.size());
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

void render_header(const Analysis& analysis, std::ostream& out, const Palette& palette) {
  size_t skipped = 0;
  for (const auto& in : analysis.inputs) skipped += !in.skipped.empty();
  std::string line = fmt::format("kmsdiag: {} read", count_of(analysis.inputs.size() - skipped, "input", "inputs"));
  if (skipped) line += fmt::format(" ({} skipped)", group_digits(skipped));
  line += fmt::format(", {}, {}", count_of(analysis.records_total, "record", "records"),
                      count_of(analysis.kms_records_total, "KMS event", "KMS events"));
  if (analysis.live) line += ", live probes included";
  out << palette.paint(line, Style::bold) << "\n";
}

void render_verdict(const Analysis& analysis, std::ostream& out, const Palette& palette) {
  const size_t actionable = actionable_findings(analysis);
  out << "\n";
  if (nothing_analysed(analysis)) {
    out << palette.paint("Verdict: nothing analysed: every input was skipped or held no member to read", Style::warning)
        << "\n";
  } else if (actionable == 0) {
    std::string line = "Verdict: no activation problem found";
    if (analysis.kms_records_total == 0) line += " (the inputs hold no KMS activation events to check)";
    out << palette.paint(line, Style::ok) << "\n";
  } else {
    Severity worst = Severity::warning;
    std::vector<std::string> roots;
    for (const auto& entry : finding_outline(analysis.findings)) {
      const Finding& f = analysis.findings[entry.index];
      if (f.severity < Severity::warning) continue;
      worst = std::max(worst, f.severity);
      if (entry.depth == 0 && !entry.repeat) roots.push_back(f.title);
    }
    const std::string line =
        fmt::format("Verdict: {} found; {}", count_of(actionable, "activation problem", "activation problems"),
                    summarise_list(roots, roots.size(), roots.size(), "root cause", "root causes"));
    out << palette.paint(line, worst) << "\n";
  }
  if (const size_t bad = inputs_with_problems(analysis))
    out << fmt::format("Note: {} could not be read completely (see the input table above).\n",
                       count_of(bad, "input", "inputs"));
}

}  // namespace

void render_terminal(const Analysis& analysis, std::ostream& out, const TerminalOptions& options) {
  const Palette palette(options.color);
  render_header(analysis, out, palette);
  FindingWriter writer(out, options, palette);
  const std::vector<OutlineEntry> outline = finding_outline(analysis.findings);
  const OutlineEntry* previous = nullptr;
  for (const auto& entry : outline) {
    const Finding& f = analysis.findings[entry.index];
    const Finding& before = previous ? analysis.findings[previous->index] : f;
    const bool sibling = previous && previous->depth == entry.depth && !previous->repeat && !entry.repeat &&
                         before.rule_id == f.rule_id && before.remediation == f.remediation &&
                         before.references == f.references;
    writer.write(f, entry.depth, entry.repeat, sibling);
    previous = &entry;
  }
  render_input_table(analysis, out, options, palette);
  render_ignored_events(analysis, out, options);
  render_verdict(analysis, out, palette);
}

}  // namespace kmsdiag
