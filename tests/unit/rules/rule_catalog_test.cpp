// The shipped rules/ folder: loads cleanly, every example passes, every catalog cause has a rule,
// and a healthy fleet raises nothing of warning or worse.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <set>

#include "rule_test_support.hpp"
#include "rules/rule.hpp"

namespace kmsdiag::testing {
namespace {

const std::string kRulesDir = std::string(KMSDIAG_SOURCE_DIR) + "/rules";

RuleSet load_catalog() {
  std::vector<RuleError> errors;
  RuleSet set = RuleSet::load(kRulesDir, errors);
  for (const auto& e : errors) ADD_FAILURE() << e.describe();
  return set;
}

TEST(RuleCatalog, LoadsAndEveryExamplePasses) {
  const RuleSet set = load_catalog();
  EXPECT_GE(set.size(), 17u);
  for (const auto& f : set.check_examples()) ADD_FAILURE() << f.describe();
}

TEST(RuleCatalog, EveryCatalogCauseHasARule) {
  const RuleSet set = load_catalog();
  std::set<std::string> ruled;
  for (const auto& r : set.rules()) ruled.insert(r->cause);
  for (const YAML::Node& c : YAML::LoadFile(kRulesDir + "/causes.yaml")["causes"])
    EXPECT_TRUE(ruled.count(c["id"].as<std::string>())) << c["id"].as<std::string>();
}

TEST(RuleCatalog, HealthyFleetHasNoWarningOrWorse) {
  const RuleSet set = load_catalog();
  std::vector<Record> records;
  for (int i = 0; i < 30; ++i) {
    const std::string pc = "PC" + std::to_string(i), cmid = "cmid-" + std::to_string(i);
    const std::string t = "2024-05-01T08:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00Z";
    records.push_back(rec("activation.attempt", pc, t,
                          {{"cmid", cmid.c_str()},
                           {"kms_host", "kms1:1688"},
                           {"hresult", "0x00000000"},
                           {"answered", "1"},
                           {"activated", "1"},
                           {"count", "30"},
                           {"n_policy", "25"},
                           {"below_threshold", "0"},
                           {"license_status", i % 2 ? "1" : "2"},
                           {"minutes_to_expiry", i % 2 ? "250000" : "43000"},
                           {"host_seen", "1"}}));
    records.push_back(rec("kms.host-request", "KMS1", t,
                          {{"hresult", "0x00000000"},
                           {"n_policy", "25"},
                           {"client", pc.c_str()},
                           {"cmid", cmid.c_str()},
                           {"license_status", "1"}}));
    records.push_back(rec("kms.cmid", pc, t,
                          {{"cmid", cmid.c_str()},
                           {"machines", pc.c_str()},
                           {"machine_count", "1"},
                           {"concurrent_names", "1"},
                           {"client_logs", "1"},
                           {"requests", "1"}}));
  }
  records.push_back(
      rec("kms.dns-publish", "KMS1", "2024-05-01T00:00:00Z", {{"outcome", "succeeded"}, {"domain", "contoso.com"}}));
  records.push_back(rec("kms.host", "KMS1", "",
                        {{"host", "kms1"},
                         {"clients", "30"},
                         {"attempts", "30"},
                         {"answered", "30"},
                         {"failures", "0"},
                         {"last_count", "30"},
                         {"max_n_policy", "25"},
                         {"distinct_cmids_30d", "30"}}));
  records.push_back(
      rec("kms.hosts", "", "", {{"hosts", "1"}, {"host_list", "kms1:1688"}, {"below_threshold_attempts", "0"}}));
  records.push_back(rec("input", "", "", {{"path", "kms.evtx"}, {"records", "30"}, {"kms_log", "1"}, {"empty", "0"}}));
  records.push_back(
      rec("dataset", "", "",
          {{"inputs", "2"}, {"records", "90"}, {"kms_records", "90"}, {"host_logs", "1"}, {"client_attempts", "30"}}));
  for (const Finding& f : set.evaluate(records))
    EXPECT_EQ(f.severity, Severity::info) << f.rule_id << ": " << f.explanation;
}

}  // namespace
}  // namespace kmsdiag::testing
