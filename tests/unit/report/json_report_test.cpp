#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis_builders.hpp"
#include "report/report.hpp"

namespace kmsdiag::testing {
namespace {

nlohmann::ordered_json render(const Analysis& a) {
  std::ostringstream out;
  render_json(a, out);
  return nlohmann::ordered_json::parse(out.str());
}

std::vector<std::string> keys(const nlohmann::ordered_json& j) {
  std::vector<std::string> out;
  for (const auto& [key, value] : j.items()) out.push_back(key);
  return out;
}

using Keys = std::vector<std::string>;

// These lists are the documented schema (analyzer/src/report/output-format.md), in order: removing,
// renaming or retyping a key needs a schema_version bump; a new key is added here and documented there.
TEST(JsonReport, TopLevelKeysAreStable) {
  const auto j = render(clone_analysis());
  EXPECT_EQ(keys(j), (Keys{"schema_version", "tool", "rules", "exit_code", "live", "summary", "findings", "inputs",
                           "ignored_events"}));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(keys(j["rules"]), (Keys{"path", "sha256", "files"}));
  EXPECT_TRUE(j["rules"]["sha256"].is_null());  // not computed for this analysis
  EXPECT_EQ(j["tool"]["name"], "kmsdiag");
  EXPECT_FALSE(j["tool"]["version"].get<std::string>().empty());
  EXPECT_EQ(j["exit_code"], 3);
  EXPECT_EQ(keys(j["summary"]), (Keys{"verdict", "inputs", "inputs_skipped", "inputs_with_problems", "records",
                                      "kms_records", "findings", "root_causes", "by_severity", "ignored_events"}));
  EXPECT_EQ(j["summary"]["verdict"], "problems-found");
  EXPECT_EQ(j["summary"]["by_severity"]["critical"], 1);
  EXPECT_EQ(j["summary"]["ignored_events"], 1102);
  EXPECT_EQ(j["ignored_events"]["Application 1033"], 800);
}

TEST(JsonReport, FindingsRootCauseFirstWithEveryDocumentedKey) {
  const auto j = render(clone_analysis());
  ASSERT_EQ(j["findings"].size(), 3u);
  const auto& root = j["findings"][0];
  EXPECT_EQ(keys(root),
            (Keys{"rule_id",          "rule_ids",      "cause",    "severity",    "root_cause",     "title",
                  "explanation",      "explained_by",  "explains", "evidence",    "evidence_total", "machines",
                  "unnamed_machines", "machine_total", "lists",    "remediation", "references",     "first_time",
                  "last_time",        "facts"}));
  EXPECT_EQ(root["rule_ids"],
            nlohmann::ordered_json::array({"duplicate-cmid-rule"}));  // a finding of one rule lists it alone
  EXPECT_TRUE(root["unnamed_machines"].empty());
  EXPECT_EQ(root["cause"], "duplicate-cmid");
  EXPECT_EQ(root["severity"], "critical");
  EXPECT_EQ(root["root_cause"], true);
  EXPECT_EQ(root["evidence_total"], 41);
  EXPECT_EQ(root["machine_total"], 41);
  EXPECT_EQ(root["first_time"], "2024-03-01T08:00:00Z");
  EXPECT_EQ(root["facts"]["machine_count"], "41");
  EXPECT_EQ(root["lists"]["cmid"], nlohmann::ordered_json::array({"cmid-a", "cmid-b"}));
  EXPECT_EQ(keys(root["evidence"][0]), (Keys{"path", "unit", "position", "record_id", "time", "machine", "summary"}));
  EXPECT_EQ(root["evidence"][0]["path"], "logs/Key Management Service.evtx");
  EXPECT_EQ(root["evidence"][0]["position"], 1);
  EXPECT_EQ(root["evidence"][0]["record_id"], "801");
  EXPECT_EQ(j["findings"][1]["cause"], "below-threshold");
  EXPECT_EQ(j["findings"][1]["root_cause"], false);
  EXPECT_EQ(j["findings"][1]["explained_by"][0], "duplicate-cmid");
  EXPECT_EQ(j["findings"][2]["cause"], "no-dns-check");
  EXPECT_TRUE(j["findings"][2]["first_time"].is_null());
}

TEST(JsonReport, InputsCarryProblemsWithPositionsAndSkips) {
  const auto j = render(clone_analysis());
  ASSERT_EQ(j["inputs"].size(), 3u);
  EXPECT_EQ(keys(j["inputs"][0]), (Keys{"path", "format", "encoding", "bytes", "sha256", "records", "kms_records",
                                        "problems", "problems_not_listed", "skipped"}));
  EXPECT_TRUE(j["inputs"][0]["skipped"].is_null());
  const auto& problem = j["inputs"][1]["problems"][0];
  EXPECT_EQ(keys(problem), (Keys{"path", "unit", "position", "record_id", "message", "text"}));
  EXPECT_EQ(problem["position"], 41);
  EXPECT_EQ(problem["text"], "logs/Key Management Service.evtx record 41: truncated record");
  EXPECT_EQ(j["inputs"][1]["problems"].size(), 7u);
  EXPECT_EQ(j["inputs"][2]["skipped"], "unrecognized format");
  EXPECT_TRUE(j["inputs"][2]["format"].is_null());
}

TEST(JsonReport, MergedFindingListsEveryRuleAndItsUnnamedMachines) {
  Analysis a = healthy_analysis();
  Finding f = finding("never-activated", Severity::error, "Activation grace ended without activation");
  f.rule_id = "never-activated-grace-expired";
  f.rule_ids = {"never-activated-grace-expired", "never-activated-slmgr"};
  f.machines = {"PC1"};
  f.unnamed_machines = {"bundle/PC-OPS-077/slmgr-dlv.txt"};
  f.machine_total = 2;
  a.findings.push_back(f);
  const auto j = render(a);
  ASSERT_EQ(j["findings"].size(), 1u);
  const auto& merged = j["findings"][0];
  EXPECT_EQ(merged["rule_id"], "never-activated-grace-expired");
  EXPECT_EQ(merged["rule_ids"],
            nlohmann::ordered_json::array({"never-activated-grace-expired", "never-activated-slmgr"}));
  EXPECT_EQ(merged["machines"], nlohmann::ordered_json::array({"PC1"}));
  EXPECT_EQ(merged["unnamed_machines"], nlohmann::ordered_json::array({"bundle/PC-OPS-077/slmgr-dlv.txt"}));
  EXPECT_EQ(merged["machine_total"], 2);
}

TEST(JsonReport, HealthyDocument) {
  const auto j = render(healthy_analysis());
  EXPECT_EQ(j["exit_code"], 0);
  EXPECT_EQ(j["summary"]["verdict"], "no-problem-found");
  EXPECT_TRUE(j["findings"].is_array());
  EXPECT_TRUE(j["findings"].empty());
  EXPECT_TRUE(j["ignored_events"].is_object());
}

// Text from the input that is not UTF-8 (a Latin-1 machine name in a record, say) must not cost the
// report: nlohmann::json throws on it by default, which ended the run with exit 70 and no output.
TEST(JsonReport, TextThatIsNotUtf8NeverCostsTheReport) {
  Analysis a = healthy_analysis();
  a.findings.push_back(finding("stale", Severity::warning, "Stale"));
  a.findings.back().machines = {"caf\xe9"};
  a.inputs[0].problems.push_back({SourceRef{"x\xff.evtx", "", 0, ""}, "bad \x82 byte"});
  nlohmann::ordered_json j;
  ASSERT_NO_THROW(j = render(a));
  EXPECT_EQ(j["findings"][0]["machines"][0], "caf\xEF\xBF\xBD");
  EXPECT_EQ(j["inputs"][0]["problems"][0]["text"], "x\\xff.evtx: bad \\x82 byte");
}

TEST(JsonReport, NothingAnalysedSaysSo) {
  Analysis a = healthy_analysis();
  a.inputs[0].skipped = "text in no format kmsdiag knows";
  const auto j = render(a);
  EXPECT_EQ(j["summary"]["verdict"], "nothing-analysed");
  EXPECT_EQ(j["exit_code"], 65);
}

}  // namespace
}  // namespace kmsdiag::testing
