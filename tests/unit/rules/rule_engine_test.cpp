// Grouping, sliding windows, `having`, templates and the shape of findings.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "rule_test_support.hpp"

namespace kmsdiag::testing {
namespace {

class RuleEngineTest : public ::testing::Test {
 protected:
  RuleSet one(const std::string& match, const std::string& explain = "x", const std::string& extra = "") {
    rules_.write("r.yaml", rule_text("r", match, explain, extra));
    return rules_.load_clean();
  }
  ScratchRules rules_;
};

TEST_F(RuleEngineTest, WithoutGroupByOneFindingForAllMatches) {
  const RuleSet set = one("  kind: k\n");
  const auto findings =
      set.evaluate({rec("k", "A", "2024-01-01T00:00:00Z"), rec("j", "B", ""), rec("k", "C", "2024-01-02T00:00:00Z")});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence_total, 2u);
  EXPECT_EQ(findings[0].machines, (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(findings[0].first_ms, utc_ms(2024, 1, 1, 0, 0, 0));
  EXPECT_EQ(findings[0].last_ms, utc_ms(2024, 1, 2, 0, 0, 0));
  EXPECT_EQ(findings[0].rule_id, "r");
  EXPECT_EQ(findings[0].cause, "root");
  EXPECT_EQ(findings[0].severity, Severity::error);
  EXPECT_EQ(findings[0].remediation, (std::vector<std::string>{"fix it"}));
  EXPECT_TRUE(set.evaluate({rec("j", "B", "")}).empty());
}

TEST_F(RuleEngineTest, GroupByAndHavingDistinct) {
  const RuleSet set = one("  kind: k\n  group_by: [cmid]\n  having: {distinct.machine: {ge: 2}}\n",
                          "{distinct.machine} machines share {group.cmid}: {values.machine}");
  const auto findings = set.evaluate({rec("k", "PC1", "2024-01-01T00:00:00Z", {{"cmid", "AAA"}}),
                                      rec("k", "pc1", "2024-01-02T00:00:00Z", {{"cmid", "bbb"}}),
                                      rec("k", "PC2", "2024-01-03T00:00:00Z", {{"cmid", "aaa"}}),  // same group
                                      rec("k", "PC1", "2024-01-04T00:00:00Z", {{"cmid", "BBB"}})});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].explanation, "2 machines share AAA: PC1, PC2");
  EXPECT_EQ(findings[0].facts.at("cmid"), "AAA");
  EXPECT_EQ(findings[0].facts.at("count"), "2");
  EXPECT_EQ(findings[0].facts.at("distinct.machine"), "2");
}

TEST_F(RuleEngineTest, WindowNeedsTheConditionInsideOneWindow) {
  const RuleSet set = one("  kind: k\n  group_by: [host]\n  window: 1d\n  having: {count: {ge: 3}}\n");
  // Three events spread over three days: never three inside one day.
  EXPECT_TRUE(set.evaluate({rec("k", "A", "2024-01-01T00:00:00Z", {{"host", "h"}}),
                            rec("k", "A", "2024-01-02T01:00:00Z", {{"host", "h"}}),
                            rec("k", "A", "2024-01-03T02:00:00Z", {{"host", "h"}})})
                  .empty());
  // Three inside one day (out of input order), a fourth far away is not part of the finding.
  const auto findings = set.evaluate(
      {rec("k", "A", "2024-01-01T20:00:00Z", {{"host", "h"}}), rec("k", "A", "2024-01-01T00:00:00Z", {{"host", "h"}}),
       rec("k", "A", "2024-03-01T00:00:00Z", {{"host", "h"}}), rec("k", "A", "2024-01-01T10:00:00Z", {{"host", "h"}})});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence_total, 3u);
  EXPECT_EQ(findings[0].first_ms, utc_ms(2024, 1, 1, 0, 0, 0));
  EXPECT_EQ(findings[0].last_ms, utc_ms(2024, 1, 1, 20, 0, 0));
  ASSERT_EQ(findings[0].evidence.size(), 3u);
  EXPECT_EQ(findings[0].evidence[1].time_ms, utc_ms(2024, 1, 1, 10, 0, 0));  // time order
}

TEST_F(RuleEngineTest, WindowDistinctSlidesOut) {
  const RuleSet set = one("  kind: k\n  window: 2h\n  having: {distinct.machine: {ge: 3}}\n");
  // A, B inside 2 h; C comes 3 h after A: A has left the window, only B and C remain.
  EXPECT_TRUE(set.evaluate({rec("k", "A", "2024-01-01T00:00:00Z"), rec("k", "B", "2024-01-01T01:30:00Z"),
                            rec("k", "C", "2024-01-01T03:00:00Z"), rec("k", "B", "2024-01-01T03:10:00Z")})
                  .empty());
  EXPECT_EQ(set.evaluate({rec("k", "A", "2024-01-01T00:00:00Z"), rec("k", "B", "2024-01-01T01:30:00Z"),
                          rec("k", "C", "2024-01-01T02:00:00Z")})
                .size(),
            1u);
}

TEST_F(RuleEngineTest, HavingFirstLastMinMaxSumAndReferences) {
  const RuleSet set =
      one("  kind: k\n  group_by: [machine]\n  having:\n    last.outcome: failed\n    max.n: {eq: 7}\n"
          "    min.n: {eq: 2}\n    sum.n: {eq: 9}\n    count: {lt: $limit}\n",
          "{first.outcome} then {last.outcome}; {count} of {limit}");
  const auto findings =
      set.evaluate({rec("k", "A", "2024-01-02T00:00:00Z", {{"outcome", "failed"}, {"n", "2"}}),
                    rec("k", "A", "2024-01-01T00:00:00Z", {{"outcome", "ok"}, {"n", "7"}, {"limit", "5"}})});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].explanation, "ok then failed; 2 of 5");  // {limit}: field of the group's first record
  EXPECT_TRUE(set.evaluate({rec("k", "A", "2024-01-01T00:00:00Z", {{"outcome", "failed"}, {"n", "2"}}),
                            rec("k", "A", "2024-01-02T00:00:00Z", {{"outcome", "ok"}, {"n", "7"}})})
                  .empty());
}

TEST_F(RuleEngineTest, TemplatesFieldsPseudoFieldsTimesValuesAndUnknowns) {
  const RuleSet set = one(
      "  kind: k\n", "{kind} on {machine} at {time} ({first_time}..{last_time}): {hresult} {nothing} {{x}} {values.h}",
      "evidence: \"{hresult} via {kms_host}\"\n");
  std::vector<Record> records;
  for (int i = 0; i < 7; ++i)
    records.push_back(rec("k", "PC" + std::to_string(i), fmt::format("2024-01-0{}T00:00:00Z", i + 1),
                          {{"hresult", "0xC004F074"}, {"h", ""}}));
  for (int i = 0; i < 7; ++i) records[i].set("h", "v" + std::to_string(i));
  const auto findings = set.evaluate(records);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].explanation,
            "k on PC0 at 2024-01-01T00:00:00Z (2024-01-01T00:00:00Z..2024-01-07T00:00:00Z): 0xC004F074 (unknown) {x} "
            "v0, v1, v2, v3, v4 … and 2 more");
  EXPECT_EQ(findings[0].evidence[0].summary, "0xC004F074 via (unknown)");
  EXPECT_EQ(findings[0].evidence[0].source.path, "input.evtx");
}

TEST_F(RuleEngineTest, EvidenceIsCappedAndEveryMachineListed) {
  const RuleSet set = one("  kind: k\n");
  std::vector<Record> records;
  for (int i = 0; i < 120; ++i) records.push_back(rec("k", fmt::format("PC{:03}", i), "", {}));
  records[5].time_ms = utc_ms(2024, 1, 1, 0, 0, 0);
  const auto findings = set.evaluate(records);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.size(), 20u);
  EXPECT_EQ(findings[0].evidence_total, 120u);
  EXPECT_EQ(findings[0].machines.size(), 120u);
  EXPECT_EQ(findings[0].machine_total, 120u);
  EXPECT_EQ(findings[0].machines.front(), "PC000");
  EXPECT_EQ(findings[0].evidence.back().machine, "PC020");  // untimed records first, then by time
}

TEST_F(RuleEngineTest, ExamplesAreChecked) {
  rules_.write("ex.yaml",
               "id: ex\ncause: root\nseverity: error\ntitle: T\nmatch: {kind: k, where: {n: {ge: 2}}}\n"
               "explain: x\nremediation: [y]\nexamples:\n"
               "  positive: [{kind: k, n: 1}]\n"
               "  negative: [{kind: k, n: 3}]\n");
  const RuleSet set = rules_.load_clean();
  const auto failures = set.check_examples();
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].line, 9);
  EXPECT_NE(failures[0].message.find("positive"), std::string::npos);
  EXPECT_EQ(failures[1].line, 10);
  EXPECT_NE(failures[1].message.find("negative"), std::string::npos);
}

}  // namespace
}  // namespace kmsdiag::testing
