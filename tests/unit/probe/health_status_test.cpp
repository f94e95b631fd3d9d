#include "probe/health_status.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace kmsdiag {
namespace {

// One domain, one server, one target with the given outcome.
LiveResult one_target(std::string status, std::string tcp, std::string rpc) {
  LiveResult r;
  r.servers = {"10.0.0.53:53"};
  r.domains = {"corp.example"};
  DomainLookup l;
  l.domain = "corp.example";
  l.answer.status = status;
  if (status == "records") l.answer.targets = {{0, 100, 1688, "kms1.corp.example"}};
  r.lookups.push_back(l);
  DomainSummary s;
  s.domain = "corp.example";
  if (status == "records") {
    TargetProbe t;
    t.domain = "corp.example";
    t.target = l.answer.targets[0];
    t.rank = 1;
    t.resolved.status = "resolved";
    t.resolved.addresses = {"10.0.0.10"};
    t.tcp = tcp;
    t.rpc = rpc;
    t.probed_address = "10.0.0.10";
    r.targets.push_back(t);
    s.targets = 1;
    s.reachable = rpc == "kms";
    s.hosts = {"kms1.corp.example"};
  }
  r.summaries.push_back(s);
  r.elapsed_ms = 12;
  return r;
}

TEST(HealthStatus, StatesFollowTheWorstProblem) {
  EXPECT_EQ(assess_health(one_target("records", "open", "kms")).state, Health::ok);
  EXPECT_EQ(assess_health(one_target("records", "refused", "")).state, Health::critical);
  EXPECT_EQ(assess_health(one_target("nxdomain", "", "")).state, Health::critical);
  LiveResult late = one_target("records", "open", "kms");
  late.deadline_hit = true;
  EXPECT_EQ(assess_health(late).state, Health::unknown);
  LiveResult none;
  EXPECT_EQ(assess_health(none).state, Health::unknown);
  LiveResult split = one_target("records", "open", "kms");
  split.summaries[0].agree = false;
  EXPECT_EQ(assess_health(split).state, Health::warning);
}

TEST(HealthStatus, NagiosLineHasTextAndPerfdata) {
  EXPECT_EQ(nagios_line(assess_health(one_target("records", "open", "kms"))),
            "KMS OK - 1 domain(s), 1 SRV target(s), 1 answer as KMS | domains=1 srv_targets=1 reachable=1 time=0.012s");
  const std::string crit = nagios_line(assess_health(one_target("servfail", "", "")));
  EXPECT_EQ(crit.rfind("KMS CRITICAL - corp.example: no reachable KMS host (servfail from 10.0.0.53:53); ", 0), 0u)
      << crit;
  EXPECT_EQ(nagios_line(unknown_health("bad | text")).rfind("KMS UNKNOWN - bad / text | domains=0", 0), 0u);
}

TEST(HealthStatus, JsonAndPrometheus) {
  const LiveResult r = one_target("records", "open", "kms");
  const HealthReport h = assess_health(r);
  std::ostringstream json;
  write_health_json(h, &r, json);
  EXPECT_NE(json.str().find("\"exit_code\": 0"), std::string::npos);
  const std::string prom = prometheus_text(h, &r);
  EXPECT_NE(prom.find("kmsdiag_check_status 0\n"), std::string::npos);
  EXPECT_NE(prom.find("kmsdiag_srv_lookup_ok{domain=\"corp.example\",server=\"10.0.0.53:53\",status=\"records\"} 1\n"),
            std::string::npos);
}

TEST(HealthStatus, AtomicWriteReplacesTheFile) {
  const std::string path = testing::TempDir() + "kmsdiag_health.prom";
  ASSERT_EQ(write_file_atomically(path, "old\n"), "");
  ASSERT_EQ(write_file_atomically(path, "new\n"), "");
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "new");
  std::remove(path.c_str());
  EXPECT_NE(write_file_atomically("/nonexistent-dir/x.prom", "x"), "");
}

}  // namespace
}  // namespace kmsdiag
