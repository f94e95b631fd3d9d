#include <gtest/gtest.h>

#include <sstream>

#include "analysis_builders.hpp"
#include "report/report.hpp"

namespace kmsdiag::testing {
namespace {

std::string render(const Analysis& a, bool color = false, bool verbose = false) {
  std::ostringstream out;
  TerminalOptions options;
  options.color = color;
  options.verbose = verbose;
  render_terminal(a, out, options);
  return out.str();
}

TEST(TerminalReport, NoEscapeCodesWithoutColor) {
  const std::string text = render(clone_analysis());
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(render(clone_analysis(), true).find("\x1b[1;31m"), std::string::npos);
}

// Names come from the input (a Computer element, a CMID's client name): an escape sequence in one would recolour
// or clear the terminal, a line break would forge a line of the report (issue 10 item 16, inside records).
TEST(TerminalReport, ControlCharactersInNamesFromRecordsAreShownNotObeyed) {
  Analysis a;
  a.inputs.push_back(read_input("logs/app.evtx", 10, 1));
  Finding f = finding("never-activated", Severity::error, "PC\x1b[2J never activated");
  f.machines = {"PC\x1b]0;owned\x07", "PC2\nVerdict: no activation problem found"};
  f.evidence.push_back(evidence("logs/app.evtx", 1, "PC\x1b[31mRED", 1'709'280'000'000));
  f.evidence.back().summary = "12288 from \x1b[1mPC";
  f.evidence_total = 1;
  f.machine_total = 2;
  a.findings.push_back(f);
  const std::string text = render(a);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\x07'), std::string::npos) << text;
  EXPECT_NE(text.find("PC\\x1b[31mRED"), std::string::npos) << text;
  EXPECT_NE(text.find("PC2\\x0aVerdict"), std::string::npos) << text;
  EXPECT_EQ(text.find("\nVerdict: no activation problem found"), std::string::npos) << text;
}

TEST(TerminalReport, HeaderCountsInputsRecordsAndKmsEvents) {
  const std::string text = render(clone_analysis());
  EXPECT_EQ(text.substr(0, text.find('\n')), "kmsdiag: 2 inputs read (1 skipped), 1,240 records, 122 KMS events");
}

TEST(TerminalReport, RootCauseFirstWithItsSymptomNestedBelow) {
  const std::string text = render(clone_analysis());
  const size_t root = text.find("CRITICAL  Cloned machines share one CMID  [duplicate-cmid]");
  const size_t symptom = text.find("    explains: ERROR  KMS count below the activation threshold  [below-threshold]");
  const size_t info = text.find("INFO  DNS was not checked");
  ASSERT_NE(root, std::string::npos) << text;
  ASSERT_NE(symptom, std::string::npos) << text;
  ASSERT_NE(info, std::string::npos) << text;
  EXPECT_LT(root, symptom);
  EXPECT_LT(symptom, info);  // the symptom belongs to its root, before the next top-level finding
  // The symptom's evidence is indented one level deeper than the root's.
  EXPECT_NE(text.find("\n        logs/Application.evtx record 10 "), std::string::npos);
  EXPECT_NE(text.find("\n    logs/Key Management Service.evtx record 1 "), std::string::npos);
}

TEST(TerminalReport, SummarisesLongListsWithAndNMore) {
  const std::string text = render(clone_analysis());
  EXPECT_NE(text.find("Evidence: 41 records, first 5:"), std::string::npos) << text;
  EXPECT_NE(text.find("… and 36 more\n"), std::string::npos);
  EXPECT_NE(text.find("41 machines, first 5: CLONE0, CLONE1, CLONE2, CLONE3, CLONE4 … and 36 more"), std::string::npos);
  EXPECT_NE(
      text.find("logs/Key Management Service.evtx record 1 (EventRecordID 801)  2024-03-01T08:00:00Z  KMS1  12288"),
      std::string::npos);
  EXPECT_NE(text.find("Evidence: 3 records:"), std::string::npos);  // short lists are not summarised
  EXPECT_NE(text.find("  - slmgr /rearm"), std::string::npos);
  EXPECT_NE(text.find("https://learn.microsoft.com/"), std::string::npos);
}

TEST(TerminalReport, InputTableListsOnlyProblemInputsUnlessVerbose) {
  const std::string text = render(clone_analysis());
  EXPECT_NE(text.find("Inputs with problems (2 of 3):"), std::string::npos) << text;
  EXPECT_NE(text.find("skipped: unrecognized format"), std::string::npos);
  EXPECT_NE(text.find("logs/Key Management Service.evtx record 41: truncated record"), std::string::npos);
  EXPECT_NE(text.find("… and 2 more\n"), std::string::npos);  // 7 problems, 5 shown
  EXPECT_EQ(text.find("logs/Application.evtx  evtx"), std::string::npos);

  const std::string verbose = render(clone_analysis(), false, true);
  EXPECT_NE(verbose.find("Inputs (3):"), std::string::npos);
  EXPECT_NE(verbose.find("logs/Application.evtx "), std::string::npos);
}

TEST(TerminalReport, IgnoredEventsInOneLine) {
  const std::string text = render(clone_analysis());
  EXPECT_NE(
      text.find("Ignored 1,102 events not about activation (3 kinds: Application 1033 ×800, Security-SPP 16384 ×300, "
                "Application 1 ×2)"),
      std::string::npos)
      << text;
}

TEST(TerminalReport, VerdictNamesRootCauses) {
  const std::string text = render(clone_analysis());
  EXPECT_NE(text.find("Verdict: 2 activation problems found; 1 root cause: Cloned machines share one CMID"),
            std::string::npos)
      << text;
  // The damaged input counts; the quietly skipped readme.pdf does not.
  EXPECT_NE(text.find("Note: 1 input could not be read completely"), std::string::npos) << text;
}

TEST(TerminalReport, HealthyRunSaysNoProblemFound) {
  const std::string text = render(healthy_analysis());
  EXPECT_NE(text.find("Verdict: no activation problem found\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("Inputs with problems"), std::string::npos);
  Analysis silent = healthy_analysis();
  silent.kms_records_total = 0;
  EXPECT_NE(render(silent).find("no activation problem found (the inputs hold no KMS activation events"),
            std::string::npos);
}

TEST(TerminalReport, FindingExplainedByTwoCausesIsShownOnceInFull) {
  Analysis a = healthy_analysis();
  Finding a1 = finding("rogue-host", Severity::error, "Rogue KMS host");
  Finding a2 = finding("split-count", Severity::warning, "Count split across hosts");
  Finding s = finding("below-threshold", Severity::error, "Below threshold");
  s.explained_by = {"rogue-host", "split-count"};
  a.findings = {a1, a2, s};
  const std::string text = render(a);
  size_t count = 0;
  for (size_t p = text.find("Because below-threshold."); p != std::string::npos;
       p = text.find("Because below-threshold.", p + 1))
    ++count;
  EXPECT_EQ(count, 1u) << text;
  EXPECT_NE(text.find("(shown in full above)"), std::string::npos);
}

TEST(TerminalReport, NamesAMachineItsOutputDoesNotNameByWhereTheOutputIs) {
  Analysis a = healthy_analysis();
  Finding f = finding("never-activated", Severity::error, "Activation grace ended without activation");
  f.unnamed_machines = {"bundle/PC-OPS-077/slmgr-dlv.txt"};
  f.machine_total = 1;
  Finding two = finding("renewal-overdue", Severity::warning, "Renewal overdue");
  two.machines = {"PC1"};
  two.unnamed_machines = {"bundle/PC-7/"};
  two.machine_total = 2;
  a.findings = {f, two};
  const std::string text = render(a);
  EXPECT_NE(text.find("  1 machine: the machine whose output is in bundle/PC-OPS-077/slmgr-dlv.txt\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  2 machines: PC1, the machine whose output is in bundle/PC-7/\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("0 machines"), std::string::npos);
}

TEST(TerminalReport, StepsAreSaidOnceOnlyForSiblingsWithTheSameSteps) {
  Analysis a = healthy_analysis();
  Finding one = finding("never-activated", Severity::warning, "Never activated");
  one.remediation = {"slmgr /ato"};
  Finding same = one;
  Finding merged = one;
  merged.remediation = {"slmgr /ato", "slmgr /dlv"};  // same primary rule, more rules merged in
  a.findings = {one, same, merged};
  const std::string text = render(a);
  size_t as_above = 0;
  for (size_t p = text.find("What to do: as above"); p != std::string::npos;
       p = text.find("What to do: as above", p + 1))
    ++as_above;
  EXPECT_EQ(as_above, 1u) << text;
  EXPECT_NE(text.find("  - slmgr /dlv"), std::string::npos) << text;
}

}  // namespace
}  // namespace kmsdiag::testing
