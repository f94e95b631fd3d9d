#include <gtest/gtest.h>

#include <sstream>

#include "analysis_builders.hpp"
#include "report/markdown_text.hpp"
#include "report/report.hpp"

namespace kmsdiag::testing {
namespace {

std::string markdown(const Analysis& a) {
  std::ostringstream out;
  render_markdown(a, out, TerminalOptions{});
  return out.str();
}

// Pipes that end a table cell: those not escaped by a backslash.
size_t cell_pipes(const std::string& line) {
  size_t n = 0;
  for (size_t i = 0; i < line.size(); ++i) n += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
  return n;
}

TEST(MarkdownText, EveryMarkupCharacterIsEscapedAndControlsAreVisible) {
  EXPECT_EQ(markdown_text("a|b"), "a\\|b");
  EXPECT_EQ(markdown_text("`x`"), "\\`x\\`");
  EXPECT_EQ(markdown_text("<img src=x onerror=alert(1)>"), "\\<img src=x onerror=alert(1)\\>");
  EXPECT_EQ(markdown_text("[click](javascript:x)"), "\\[click\\](javascript:x)");
  // printable() makes a control character "\x0a"; its backslash is escaped in turn, so it shows as written.
  EXPECT_EQ(markdown_text("line\nrow"), "line\\\\x0arow");
  EXPECT_EQ(markdown_text("\x1b[31m"), "\\\\x1b\\[31m");
  EXPECT_EQ(markdown_text("1. item"), "1\\. item");
  EXPECT_EQ(markdown_text("- item"), "\\- item");
  EXPECT_EQ(markdown_text("see https://evil.example"), "see https\\://evil.example");
  EXPECT_EQ(markdown_text("www.evil.example"), "www\\.evil.example");
  EXPECT_EQ(markdown_text("PC-01.corp.example"), "PC-01.corp.example");  // plain names stay readable
}

TEST(MarkdownText, FenceIsLongerThanAnyBacktickRunInside) {
  EXPECT_EQ(markdown_fence({"slmgr /ato"}, "text"), "```text\nslmgr /ato\n```\n");
  EXPECT_EQ(markdown_fence({"a ```` b"}), "`````\na ```` b\n`````\n");
}

TEST(MarkdownReport, VerdictThenRootCauseThenItsSymptomWithEvidenceTableAndCommands) {
  const std::string md = markdown(clone_analysis());
  const size_t verdict = md.find("## Verdict");
  const size_t root = md.find("### CRITICAL: Cloned machines share one CMID (duplicate-cmid)");
  const size_t symptom = md.find("#### Explains: ERROR: KMS count below the activation threshold");
  ASSERT_NE(verdict, std::string::npos) << md;
  ASSERT_NE(root, std::string::npos) << md;
  ASSERT_NE(symptom, std::string::npos) << md;
  EXPECT_LT(verdict, root);
  EXPECT_LT(root, symptom);
  EXPECT_NE(md.find("| source | time | machine | what it shows |"), std::string::npos);
  EXPECT_NE(md.find("```text\nslmgr /rearm\nsysprep /generalize\n```"), std::string::npos) << md;
  EXPECT_NE(md.find("**Machines:** 41 machines, first 5: CLONE0"), std::string::npos) << md;
  EXPECT_NE(md.find("## Inputs with problems"), std::string::npos);
}

TEST(MarkdownReport, HostileNamesCannotAddColumnsRowsLinksOrHtml) {
  Analysis a = clone_analysis();
  Finding& root = a.findings[2];
  const std::string hostile = "E|V`IL<script>[x](http://e)\n| forged | row |";
  root.evidence[0].machine = hostile;
  root.evidence[0].summary = hostile;
  root.machines[0] = hostile;
  root.explanation = hostile;
  a.inputs[1].path = hostile;
  const std::string md = markdown(a);
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  EXPECT_EQ(md.find("[x](http"), std::string::npos);
  EXPECT_EQ(md.find("\n| forged"), std::string::npos);
  // Every row of a table has as many cell-ending pipes as its header.
  std::istringstream lines(md);
  size_t columns = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| ", 0) != 0) {
      columns = 0;
      continue;
    }
    if (columns == 0) columns = cell_pipes(line);
    EXPECT_EQ(cell_pipes(line), columns) << line;
  }
}

}  // namespace
}  // namespace kmsdiag::testing
