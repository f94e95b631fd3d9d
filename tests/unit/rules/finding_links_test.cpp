// Root-cause linking and the order of findings.
#include "rules/finding_links.hpp"

#include <gtest/gtest.h>

#include "rule_test_support.hpp"

namespace kmsdiag::testing {
namespace {

Finding finding(std::string rule, std::string cause, Severity s, std::vector<std::string> explains = {}) {
  Finding f;
  f.rule_id = std::move(rule);
  f.cause = std::move(cause);
  f.severity = s;
  f.explains = std::move(explains);
  return f;
}

std::vector<std::string> ids(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.rule_id);
  return out;
}

TEST(FindingLinks, RootsFirstBySeverityEachFollowedByWhatItExplains) {
  std::vector<Finding> fs = {
      finding("below", "count-below-threshold", Severity::error, {"never-activated"}),
      finding("never", "never-activated", Severity::warning),
      finding("info", "evidence-gap", Severity::info),
      finding("clones", "duplicate-cmid", Severity::critical, {"count-below-threshold"}),
      finding("split", "count-split-across-hosts", Severity::error, {"count-below-threshold"}),
      finding("skew", "time-skew", Severity::error),
  };
  link_findings(fs);
  EXPECT_EQ(ids(fs), (std::vector<std::string>{"clones", "below", "never", "skew", "split", "info"}));
  EXPECT_EQ(fs[1].explained_by, (std::vector<std::string>{"count-split-across-hosts", "duplicate-cmid"}));
  EXPECT_EQ(fs[2].explained_by, (std::vector<std::string>{"count-below-threshold"}));
  EXPECT_TRUE(fs[0].explained_by.empty());
}

TEST(FindingLinks, ExplainsWithoutATargetChangesNothing) {
  std::vector<Finding> fs = {finding("b", "x", Severity::warning, {"absent"}), finding("a", "y", Severity::warning)};
  link_findings(fs);
  EXPECT_EQ(ids(fs), (std::vector<std::string>{"a", "b"}));  // same severity: by rule id
  EXPECT_TRUE(fs[0].explained_by.empty());
  EXPECT_TRUE(fs[1].explained_by.empty());
}

TEST(FindingLinks, CyclesKeepEveryFindingOnce) {
  std::vector<Finding> fs = {finding("a", "x", Severity::error, {"y"}), finding("b", "y", Severity::critical, {"x"})};
  link_findings(fs);
  EXPECT_EQ(ids(fs), (std::vector<std::string>{"b", "a"}));
}

TEST(FindingLinks, EvaluateLinksAcrossRules) {
  ScratchRules rules;
  rules.write("root-rule.yaml", rule_text("root-rule", "  kind: r\n", "x", "explains: [symptom]\n"));
  std::string symptom = rule_text("symptom-rule", "  kind: s\n");
  symptom.replace(symptom.find("cause: root"), 11, "cause: symptom");
  symptom.replace(symptom.find("severity: error"), 15, "severity: critical");
  rules.write("symptom-rule.yaml", symptom);
  const RuleSet set = rules.load_clean();
  const auto fs = set.evaluate({rec("s", "A", ""), rec("r", "B", "")});
  EXPECT_EQ(ids(fs), (std::vector<std::string>{"root-rule", "symptom-rule"}));  // explained: after its root
  EXPECT_EQ(fs[1].explained_by, (std::vector<std::string>{"root"}));
}

}  // namespace
}  // namespace kmsdiag::testing
