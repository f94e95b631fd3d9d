// The HTML report: one self-contained file to read in a browser or attach to a ticket. No script, no
// network: styles are inline, charts are inline SVG, fonts are the reader's own, and a Content-Security-
// Policy forbids loading or running anything, so a name that escaped escaping still could not act.
// Order: the verdict first, then root causes with the symptoms they explain and their evidence, the
// fleet over time, its machines, and the inputs.
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "model/machine_place.hpp"
#include "model/version.hpp"
#include "report/explanation_tree.hpp"
#include "report/finding_outline.hpp"
#include "report/html_fleet.hpp"
#include "report/html_text.hpp"
#include "report/report.hpp"
#include "report/terminal_text.hpp"

namespace kmsdiag {
namespace {

// Tables wrap long names anywhere rather than widen the page: a file path or a CMID must never push the
// report wider than the window.
constexpr std::string_view kStyle = R"(
:root{color-scheme:light;--fg:#1b1f24;--muted:#59636e;--line:#d0d7de;--critical:#8b0000;--error:#b42318;
--warning:#9a6700;--info:#0b5cad;--ok:#1a7f37}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);
background:#fff;overflow-wrap:anywhere}
main,header.verdict,nav{max-width:1100px;margin:0 auto;padding:0 16px}
header.verdict{margin-top:16px;padding:14px 16px;border-left:6px solid var(--ok);background:#f6f8fa}
header.verdict.sev-critical{border-color:var(--critical)}header.verdict.sev-error{border-color:var(--error)}
header.verdict.sev-warning{border-color:var(--warning)}header.verdict.sev-nothing{border-color:var(--muted)}
.verdict-line{font-size:1.3em;font-weight:600;margin:0 0 6px}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px}
h2{border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:32px}
article.finding{border:1px solid var(--line);border-radius:6px;padding:4px 14px 10px;margin:12px 0}
article.depth-1{margin-left:24px}article.depth-2{margin-left:48px}article.depth-3{margin-left:72px}
.sev{display:inline-block;font-size:.75em;font-weight:700;padding:1px 6px;border-radius:4px;color:#fff;
vertical-align:middle}
.sev-critical .sev{background:var(--critical)}.sev-error .sev{background:var(--error)}
.sev-warning .sev{background:var(--warning)}.sev-info .sev{background:var(--info)}
.cause{color:var(--muted);font-weight:400;font-size:.8em}
.explains-marker{color:var(--muted);font-size:.85em;margin:8px 0 0}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:8px 0}
th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
td.num,th.num{text-align:right}
code,.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
ul.steps code{white-space:pre-wrap}
.muted,.none{color:var(--muted)}
figure{margin:12px 0}
svg.chart{width:100%;max-width:720px;height:auto;display:block}
svg .axis{stroke:#59636e;stroke-width:1}
svg .tick,svg .threshold-label{font:11px system-ui,sans-serif;fill:#59636e}
svg .threshold{stroke:var(--error);stroke-width:1.5;stroke-dasharray:6 4}
svg .threshold-label{fill:var(--error);paint-order:stroke;stroke:#fff;stroke-width:3px}
svg .below{fill:#d4a72c}svg .reached{fill:#2da44e}
.k0{fill:#b42318;background:#b42318}.k1{fill:#0b5cad;background:#0b5cad}.k2{fill:#9a6700;background:#9a6700}
.k3{fill:#6e40c9;background:#6e40c9}.k4{fill:#1a7f37;background:#1a7f37}.k5{fill:#bf3989;background:#bf3989}
.k6{fill:#0a7f8c;background:#0a7f8c}.k7{fill:#57606a;background:#57606a}.k8{fill:#a0a6ad;background:#a0a6ad}
ul.legend{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:4px 18px}
.swatch{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px;border-radius:2px}
details summary{cursor:pointer;color:var(--muted)}
footer{max-width:1100px;margin:32px auto 16px;padding:0 16px;color:var(--muted);font-size:.85em}
@media print{article.finding{break-inside:avoid}}
)";

std::string severity_label(Severity s) { return ascii_upper(to_string(s)); }

// The verdict as the terminal states it, and the class that colours it.
std::pair<std::string, std::string> verdict(const Analysis& analysis) {
  const Verdict v = explanation_tree(analysis).verdict;
  const std::string tone = v.kind == VerdictKind::nothing_analysed   ? "sev-nothing"
                           : v.kind == VerdictKind::no_problem_found ? "sev-ok"
                                                                     : "sev-" + std::string(to_string(v.worst));
  return {verdict_sentence(v), tone};
}

void write_verdict(const Analysis& analysis, std::ostream& out) {
  const auto [line, tone] = verdict(analysis);
  size_t skipped = 0;
  for (const auto& in : analysis.inputs) skipped += !in.skipped.empty();
  std::string summary = count_of(analysis.inputs.size() - skipped, "input", "inputs") + " read";
  if (skipped) summary += fmt::format(" ({} skipped)", group_digits(skipped));
  summary += fmt::format(", {}, {}", count_of(analysis.records_total, "record", "records"),
                         count_of(analysis.kms_records_total, "KMS event", "KMS events"));
  if (analysis.live) summary += ", live probes included";
  out << "<header id=\"verdict\" class=\"verdict " << tone << "\">\n<p class=\"verdict-line\">" << html_escape(line)
      << "</p>\n<p>" << summary << ".</p>\n";
  if (const size_t bad = inputs_with_problems(analysis))
    out << "<p>Note: " << count_of(bad, "input", "inputs")
        << " could not be read completely (see <a href=\"#inputs\">Inputs</a>).</p>\n";
  out << "</header>\n";
}

void write_nav(std::ostream& out) {
  out << "<nav><ul><li><a href=\"#findings\">Root causes</a></li><li><a href=\"#timelines\">Over time</a></li>"
         "<li><a href=\"#machines\">Machines</a></li><li><a href=\"#inputs\">Inputs</a></li></ul></nav>\n";
}

void write_evidence(const Finding& f, std::ostream& out) {
  if (f.evidence.empty()) return;
  const uint64_t total = std::max<uint64_t>(f.evidence_total, f.evidence.size());
  out << "<table class=\"evidence\">\n<caption class=\"muted\">Evidence: " << count_of(total, "record", "records")
      << (f.evidence.size() < total ? fmt::format(", first {}", f.evidence.size()) : "")
      << "</caption>\n<colgroup><col style=\"width:32%\"><col style=\"width:17%\"><col style=\"width:17%\"><col>"
         "</colgroup>\n<thead><tr><th>Source</th><th>Time</th><th>Machine</th><th>What it shows</th></tr></thead>\n"
         "<tbody>\n";
  for (const Evidence& e : f.evidence)
    out << "<tr><td>" << html_escape(e.source.describe()) << "</td><td>" << format_time(e.time_ms) << "</td><td>"
        << html_escape(e.machine) << "</td><td>" << html_escape(e.summary) << "</td></tr>\n";
  out << "</tbody>\n</table>\n";
}

void write_list(std::ostream& out, std::string_view heading, const std::vector<std::string>& items, bool code) {
  if (items.empty()) return;
  out << "<h4>" << heading << "</h4>\n<ul" << (code ? " class=\"steps\"" : "") << ">\n";
  for (const std::string& item : items) out << "<li>" << html_escape(item) << "</li>\n";
  out << "</ul>\n";
}

// Links to documentation are followed, never loaded: only http(s) addresses become links.
void write_references(std::ostream& out, const std::vector<std::string>& refs) {
  if (refs.empty()) return;
  out << "<h4>References</h4>\n<ul>\n";
  for (const std::string& ref : refs) {
    const bool link = ref.rfind("https://", 0) == 0 || ref.rfind("http://", 0) == 0;
    if (link)
      out << "<li><a rel=\"noreferrer\" href=\"" << html_escape(ref) << "\">" << html_escape(ref) << "</a></li>\n";
    else
      out << "<li>" << html_escape(ref) << "</li>\n";
  }
  out << "</ul>\n";
}

void write_finding(const Finding& f, const OutlineEntry& entry, size_t number, size_t first_number, std::ostream& out) {
  const size_t depth = std::min<size_t>(entry.depth, 3);
  out << fmt::format("<article class=\"finding depth-{} sev-{}\" id=\"finding-{}\">\n", depth, to_string(f.severity),
                     number);
  if (entry.depth > 0) out << "<p class=\"explains-marker\">explained by the cause above</p>\n";
  out << "<h3><span class=\"sev\">" << severity_label(f.severity) << "</span> " << html_escape(f.title)
      << " <span class=\"cause\">" << html_escape(f.cause) << "</span></h3>\n";
  if (entry.repeat) {
    out << fmt::format("<p class=\"muted\">Shown in full <a href=\"#finding-{}\">above</a>.</p>\n</article>\n",
                       first_number);
    return;
  }
  if (!f.explanation.empty()) out << "<p>" << html_escape(f.explanation) << "</p>\n";
  write_evidence(f, out);
  const std::vector<std::string> machines = shown_machines(f);
  if (!machines.empty())
    out << "<p>"
        << html_escape(summarise_list(machines, std::max<uint64_t>(f.machine_total, machines.size()), machines.size(),
                                      "machine", "machines"))
        << "</p>\n";
  if (const std::string seen = seen_span(f); !seen.empty()) out << "<p>Seen " << seen << "</p>\n";
  write_list(out, "What to do", f.remediation, true);
  write_references(out, f.references);
  out << "</article>\n";
}

void write_findings(const Analysis& analysis, std::ostream& out) {
  out << "<section id=\"findings\">\n<h2>Root causes and what they explain</h2>\n";
  if (analysis.findings.empty()) out << "<p class=\"none\">No finding.</p>\n";
  std::vector<size_t> number_of(analysis.findings.size(), 0);  // the article showing each finding in full
  size_t number = 0;
  for (const OutlineEntry& entry : finding_outline(analysis.findings)) {
    ++number;
    if (!entry.repeat) number_of[entry.index] = number;
    write_finding(analysis.findings[entry.index], entry, number, number_of[entry.index], out);
  }
  out << "</section>\n";
}

void write_inputs(const Analysis& analysis, std::ostream& out) {
  out << "<section id=\"inputs\">\n<h2>Inputs</h2>\n<table class=\"inputs\">\n<colgroup><col style=\"width:40%\">"
         "<col style=\"width:14%\"><col style=\"width:10%\"><col "
         "style=\"width:10%\"><col></colgroup>\n<thead><tr><th>File</th>"
         "<th>Kind</th><th class=\"num\">Records</th><th class=\"num\">KMS records</th><th>Problems</th></tr>"
         "</thead>\n<tbody>\n";
  for (const InputSummary& in : analysis.inputs) {
    std::string kind = in.format.empty() ? "–" : in.format;
    if (!in.encoding.empty()) kind += ", " + in.encoding;
    out << "<tr><td>" << html_escape(in.path) << "</td><td>" << html_escape(kind) << "</td><td class=\"num\">"
        << group_digits(in.records) << "</td><td class=\"num\">" << group_digits(in.kms_records) << "</td><td>";
    if (!in.skipped.empty()) out << "skipped: " << html_escape(in.skipped);
    const uint64_t problems = in.problems.size() + in.problems_not_listed;
    if (problems > 0) {
      out << "<details><summary>" << count_of(problems, "problem", "problems") << "</summary><ul>\n";
      for (const Problem& p : in.problems) out << "<li>" << html_escape(p.describe()) << "</li>\n";
      if (in.problems_not_listed > 0)
        out << "<li>… and " << group_digits(in.problems_not_listed) << " more (printed on standard error)</li>\n";
      out << "</ul></details>";
    } else if (in.skipped.empty()) {
      out << "none";
    }
    out << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n";
  uint64_t ignored = 0;
  for (const auto& [kind, n] : analysis.ignored_events) ignored += n;
  if (ignored > 0)
    out << "<p class=\"muted\">Also read: " << count_of(ignored, "event", "events") << " not about activation, of "
        << count_of(analysis.ignored_events.size(), "kind", "kinds") << ".</p>\n";
  out << "</section>\n";
}

}  // namespace

void render_html(const Analysis& analysis, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
         "<meta name=\"generator\" content=\"kmsdiag "
      << html_escape(tool_version()) << "\">\n<title>kmsdiag: " << html_escape(verdict(analysis).first)
      << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
  write_verdict(analysis, out);
  write_nav(out);
  out << "<main>\n";
  write_findings(analysis, out);
  write_timelines_section(analysis.fleet, out);
  write_inventory_section(analysis.fleet, out);
  write_inputs(analysis, out);
  out << "</main>\n<footer>kmsdiag " << html_escape(tool_version()) << "</footer>\n</body>\n</html>\n";
}

}  // namespace kmsdiag
