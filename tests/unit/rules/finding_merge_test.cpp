// One cause about one subject is one finding, whichever rules found it; machines that command output
// does not name are counted and named by where that output is.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rule_test_support.hpp"
#include "rules/rule_engine.hpp"

namespace kmsdiag::testing {
namespace {

// A rule file with the parts these tests vary.
std::string rule(const std::string& id, const std::string& cause, const std::string& severity, const std::string& match,
                 const std::string& explain, const std::string& remediation = "[fix it]",
                 const std::string& evidence = "") {
  return "id: " + id + "\ncause: " + cause + "\nseverity: " + severity + "\ntitle: Title of " + id + "\nmatch:\n" +
         match + "explain: \"" + explain + "\"\n" + (evidence.empty() ? "" : "evidence: \"" + evidence + "\"\n") +
         "remediation: " + remediation + "\nexamples:\n  positive: [{kind: a}]\n  negative: [{kind: b}]\n";
}

Record at(Record r, std::string path, uint64_t position) {
  r.source = {std::move(path), "line", position, ""};
  return r;
}

const Finding* of_rule(const std::vector<Finding>& findings, const std::string& rule_id) {
  for (const Finding& f : findings)
    if (f.rule_id == rule_id) return &f;
  return nullptr;
}

class FindingMergeTest : public ::testing::Test {
 protected:
  ScratchRules rules_;
};

TEST_F(FindingMergeTest, SameCauseSameMachineFromTwoRulesIsOneFinding) {
  // A per-machine rule (warning) and a per-machine-and-product rule (error) of one cause.
  rules_.write("attempts.yaml", rule("attempts", "root", "warning", "  kind: k\n  group_by: [machine]\n",
                                     "{group.machine} failed {count} times.", "[slmgr /ato, slmgr /dlv]"));
  rules_.write("state.yaml",
               rule("state", "root", "error", "  kind: s\n  group_by: [machine, product_name]\n",
                    "{group.product_name} on {group.machine} is not activated.", "[slmgr /dlv, slmgr /ipk <GVLK>]"));
  const RuleSet set = rules_.load_clean();
  const auto findings =
      set.evaluate({at(rec("k", "PC1.corp", "2024-01-01T00:00:00Z"), "a/PC1/app.xml", 1),
                    at(rec("k", "PC1.corp", "2024-01-02T00:00:00Z"), "a/PC1/app.xml", 2),
                    at(rec("s", "pc1", "2024-01-03T00:00:00Z", {{"product_name", "Win"}}), "a/PC1/state.txt", 1),
                    at(rec("k", "PC2", "2024-01-01T00:00:00Z"), "a/PC2/app.xml", 1)});
  ASSERT_EQ(findings.size(), 2u);
  const Finding* pc1 = of_rule(findings, "state");
  ASSERT_NE(pc1, nullptr);
  EXPECT_EQ(pc1->rule_ids, (std::vector<std::string>{"state", "attempts"}));  // most severe first
  EXPECT_EQ(pc1->severity, Severity::error);
  EXPECT_EQ(pc1->title, "Title of state");
  EXPECT_EQ(pc1->explanation, "Win on pc1 is not activated. PC1.corp failed 2 times.");
  EXPECT_EQ(pc1->remediation, (std::vector<std::string>{"slmgr /dlv", "slmgr /ipk <GVLK>", "slmgr /ato"}));
  EXPECT_EQ(pc1->evidence_total, 3u);
  EXPECT_EQ(pc1->evidence.size(), 3u);
  EXPECT_EQ(pc1->evidence[0].time_ms, utc_ms(2024, 1, 1, 0, 0, 0));  // the union, in time order
  EXPECT_EQ(pc1->machines, (std::vector<std::string>{"PC1.corp"}));  // one machine, named as first written
  EXPECT_EQ(pc1->facts.at("product_name"), "Win");                   // the primary rule's facts
  EXPECT_EQ(pc1->facts.at("count"), "1");
  const Finding* pc2 = of_rule(findings, "attempts");
  ASSERT_NE(pc2, nullptr);
  EXPECT_EQ(pc2->rule_ids, (std::vector<std::string>{"attempts"}));
  EXPECT_EQ(pc2->machines, (std::vector<std::string>{"PC2"}));
}

TEST_F(FindingMergeTest, DifferentCausesOrDifferentSubjectsStayApart) {
  rules_.write("a.yaml", rule("a", "root", "error", "  kind: k\n  group_by: [machine]\n", "a"));
  rules_.write("b.yaml", rule("b", "other", "error", "  kind: k\n  group_by: [machine]\n", "b"));
  rules_.write("c.yaml", rule("c", "root", "error", "  kind: d\n  group_by: [domain]\n", "c"));
  const RuleSet set = rules_.load_clean();
  // Same machine, two causes; same cause, a machine and a domain (subjects of different kinds).
  const auto findings = set.evaluate(
      {rec("k", "PC1", "2024-01-01T00:00:00Z"), rec("d", "PC1", "2024-01-01T00:00:00Z", {{"domain", "pc1"}})});
  EXPECT_EQ(findings.size(), 3u);
}

TEST_F(FindingMergeTest, AWholeRunFindingTakesInEveryFindingOfItsCause) {
  // Client attempts found for the whole run, and two lookups per domain: one cause, one finding.
  rules_.write("clients.yaml", rule("clients", "root", "error", "  kind: k\n", "Clients failed."));
  rules_.write("lookup.yaml",
               rule("lookup", "root", "warning", "  kind: d\n  group_by: [domain]\n", "No record in {group.domain}."));
  const RuleSet set = rules_.load_clean();
  const auto findings = set.evaluate({rec("k", "PC1", "2024-01-01T00:00:00Z"),
                                      at(rec("d", "", "", {{"domain", "a.example"}}), "t/nslookup-a.txt", 1),
                                      at(rec("d", "", "", {{"domain", "B.example."}}), "t/nslookup-b.txt", 1)});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_ids, (std::vector<std::string>{"clients", "lookup"}));
  EXPECT_EQ(findings[0].evidence_total, 3u);
  EXPECT_EQ(findings[0].explanation, "Clients failed. No record in a.example. No record in B.example..");
}

TEST_F(FindingMergeTest, DomainsCompareWithoutCaseAndTrailingDot) {
  rules_.write("live.yaml", rule("live", "root", "warning", "  kind: d\n  group_by: [domain]\n", "live"));
  rules_.write("pasted.yaml", rule("pasted", "root", "error", "  kind: p\n  group_by: [srv_domain]\n", "pasted"));
  const RuleSet set = rules_.load_clean();
  const auto findings = set.evaluate({rec("d", "PROBE", "2024-01-01T00:00:00Z", {{"domain", "Corp.Example."}}),
                                      rec("p", "PC1", "2024-01-01T00:00:00Z", {{"srv_domain", "corp.example"}}),
                                      rec("p", "PC1", "2024-01-01T00:00:00Z", {{"srv_domain", "other.example"}})});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].rule_ids, (std::vector<std::string>{"pasted", "live"}));
  EXPECT_EQ(findings[1].rule_ids, (std::vector<std::string>{"pasted"}));
}

TEST_F(FindingMergeTest, EvidenceIsTheUnionEachRecordOnceCappedWithTheTrueTotal) {
  rules_.write("a.yaml", rule("a", "root", "error", "  kind: [k, s]\n", "a", "[fix it]", "a: {kind}"));
  rules_.write("b.yaml", rule("b", "root", "error", "  kind: [k, j]\n", "b", "[fix it]", "b: {kind}"));
  const RuleSet set = rules_.load_clean();
  std::vector<Record> records;
  for (uint64_t i = 0; i < 30; ++i) {
    // Matched by both rules: one piece of evidence.
    records.push_back(at(rec("k", "PC1", "2024-01-01T00:00:00Z"), "app.xml", i + 1));
    // Read from the same event line as that record (a state beside its attempt): the same evidence.
    records.push_back(at(rec("s", "PC1", "2024-01-01T00:00:00Z"), "app.xml", i + 1));
  }
  records.push_back(at(rec("j", "PC1", "2024-01-02T00:00:00Z"), "app.xml", 99));
  const auto findings = set.evaluate(records);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence_total, 31u);
  EXPECT_EQ(findings[0].evidence.size(), kEvidenceCap);
  EXPECT_EQ(findings[0].evidence[0].summary, "a: k");  // summarised by the first rule that has it
  EXPECT_EQ(findings[0].facts.at("count"), "60");      // rule a's own count
}

TEST_F(FindingMergeTest, ExplanationsJoinWithoutRepeatingASentence) {
  rules_.write("a.yaml", rule("a", "root", "error", "  kind: k\n", "Not activated (status 2. grace). Run slmgr."));
  rules_.write("b.yaml", rule("b", "root", "error", "  kind: j\n", "Not activated (status 2. grace). Check DNS."));
  const RuleSet set = rules_.load_clean();
  const auto findings = set.evaluate({rec("k", "PC1", ""), rec("j", "PC1", "")});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].explanation, "Not activated (status 2. grace). Run slmgr. Check DNS.");
}

TEST_F(FindingMergeTest, CommandOutputNamesItsMachineByWhereTheOutputIs) {
  rules_.write("r.yaml", rule("r", "root", "error", "  kind: s\n  group_by: [machine]\n",
                              "{group.machine} is not activated; {distinct.machine} machine: {machine_list}."));
  const RuleSet set = rules_.load_clean();
  // slmgr output of two machines, one folder each: two machines, never "0 machines" or "(unknown)".
  const auto findings = set.evaluate({at(rec("s", "", ""), "bundle/PC-A/slmgr-dlv.txt", 3),
                                      at(rec("s", "", ""), "bundle/PC-B/slmgr-dli.txt", 1),
                                      at(rec("s", "", ""), "bundle/PC-B/slmgr-dlv.txt", 1)});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].explanation,
            "The machine whose output is in bundle/PC-A/slmgr-dlv.txt is not activated; 1 machine: the machine "
            "whose output is in bundle/PC-A/slmgr-dlv.txt.");
  EXPECT_TRUE(findings[0].machines.empty());
  EXPECT_EQ(findings[0].unnamed_machines, (std::vector<std::string>{"bundle/PC-A/slmgr-dlv.txt"}));
  EXPECT_EQ(findings[0].machine_total, 1u);
  // Two files of one machine: the folder names it.
  EXPECT_EQ(findings[1].unnamed_machines, (std::vector<std::string>{"bundle/PC-B/"}));
  EXPECT_EQ(findings[1].machine_total, 1u);
  EXPECT_NE(findings[1].explanation.find("the machine whose output is in bundle/PC-B/."), std::string::npos);
}

TEST_F(FindingMergeTest, CommandOutputBesideANamedLogIsThatMachine) {
  rules_.write("r.yaml", rule("r", "root", "error", "  kind: [k, s]\n", "Activation on {machine_list} failed."));
  const RuleSet set = rules_.load_clean();
  const auto findings = set.evaluate({at(rec("k", "PC-A.corp", "2024-01-01T00:00:00Z"), "bundle/PC-A/app.xml", 1),
                                      at(rec("s", "", ""), "bundle/PC-A/slmgr-dlv.txt", 3),
                                      // A host log names its clients too: the slmgr output beside it stays unnamed.
                                      at(rec("k", "KMS1", "2024-01-01T00:00:00Z"), "bundle/KMS1/kms.evtx", 1),
                                      at(rec("k", "PC-Z", "2024-01-01T00:00:00Z"), "bundle/KMS1/kms.evtx", 2),
                                      at(rec("s", "", ""), "bundle/KMS1/slmgr-dlv.txt", 3)});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].machines, (std::vector<std::string>{"KMS1", "PC-A.corp", "PC-Z"}));
  EXPECT_EQ(findings[0].unnamed_machines, (std::vector<std::string>{"bundle/KMS1/slmgr-dlv.txt"}));
  EXPECT_EQ(findings[0].machine_total, 4u);
  EXPECT_EQ(findings[0].explanation,
            "Activation on 4 machines (PC-A.corp, the machine whose output is in bundle/KMS1/slmgr-dlv.txt, KMS1, "
            "PC-Z) failed.");
}

TEST_F(FindingMergeTest, RecordsAboutTheWholeRunAreAboutNoMachine) {
  rules_.write("schema.yaml", R"(types: {int: whole number}
pseudo:
  machine: {type: text, doc: the machine}
  time: {type: time, doc: when}
  kind: {type: text, doc: the kind}
groups: {}
sections:
  - title: Facts
    kinds:
      s:
        from: slmgr
        machine: empty
        fields: {}
      dataset:
        from: the run
        machine: empty
        per_machine: false
        fields: {}
)");
  rules_.write("r.yaml",
               "id: r\ncause: root\nseverity: error\ntitle: T\nmatch:\n  kind: [s, dataset]\n"
               "explain: x\nremediation: [fix it]\nexamples:\n  positive: [{kind: s}]\n"
               "  negative: [{kind: dataset}]\n");
  std::vector<RuleError> errors;
  const RuleSet set = rules_.load(errors, SchemaCheck::on);
  for (const auto& e : errors) ADD_FAILURE() << e.describe();
  Record dataset = rec("dataset", "", "");
  dataset.source = {};
  const auto findings = set.evaluate({at(rec("s", "", ""), "b/PC-A/slmgr.txt", 1), dataset});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence_total, 2u);
  EXPECT_EQ(findings[0].machine_total, 1u);
  EXPECT_EQ(findings[0].unnamed_machines, (std::vector<std::string>{"b/PC-A/slmgr.txt"}));
}

}  // namespace
}  // namespace kmsdiag::testing
