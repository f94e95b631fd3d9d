// libFuzzer target for the report layer: any bytes as machine names, file names, evidence and explanation
// text must redact and render in every analysis format without crashing, and the Markdown escaping must leave
// no character that starts markup (a table pipe, a backtick, a tag, a link) and no line break.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "report/markdown_text.hpp"
#include "report/redaction.hpp"
#include "report/renderer_registry.hpp"

namespace {

// The input as up to six NUL-separated texts.
std::vector<std::string> fields(const uint8_t* data, size_t size) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0 && out.size() < 6)
      out.emplace_back();
    else
      out.back() += static_cast<char>(data[i]);
  }
  out.resize(6);
  return out;
}

void check_escaped(const std::string& text) {
  const std::string md = kmsdiag::markdown_text(text);
  for (size_t i = 0; i < md.size(); ++i) {
    if (md[i] == '\n' || md[i] == '\r') std::abort();
    const bool special = md[i] == '|' || md[i] == '`' || md[i] == '<' || md[i] == '[' || md[i] == '*';
    if (!special) continue;
    size_t backslashes = 0;
    while (backslashes < i && md[i - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 0) std::abort();  // not escaped
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kmsdiag;
  const std::vector<std::string> f = fields(data, size);
  for (const std::string& text : f) check_escaped(text);

  Analysis a;
  InputSummary in;
  in.path = f[2];
  in.format = "evtx";
  in.records = 1;
  in.problems.push_back({SourceRef{f[2], "record", 1, ""}, f[1]});
  a.inputs.push_back(in);
  Finding finding;
  finding.rule_id = finding.cause = "duplicate-cmid";
  finding.severity = Severity::critical;
  finding.title = "Cloned machines";
  finding.explanation = f[3];
  finding.evidence.push_back(Evidence{SourceRef{f[2], "record", 1, "7"}, 0, f[0], f[1]});
  finding.machines = {f[0], f[0] + "." + f[4]};
  finding.unnamed_machines = {f[2]};
  finding.facts = {{"domain", f[4]}, {"cmid", f[5]}, {"host", f[0]}};
  finding.lists = {{"cmid", {f[5]}}};
  finding.remediation = {f[3]};
  a.findings = {finding};
  for (bool redacted : {false, true}) {
    if (redacted) redact(a, kDefaultRedactionKey);
    for (const std::string& name : format_names(Document::analysis)) {
      std::ostringstream out;
      find_renderer(name, Document::analysis)->analysis(a, out, TerminalOptions{});
    }
  }
  return 0;
}
