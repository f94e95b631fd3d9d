#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "../probe/live_results.hpp"
#include "report/atomic_file.hpp"
#include "report/health_output.hpp"

namespace kmsdiag {
namespace {

std::string nagios_line(const HealthReport& report) {
  std::ostringstream out;
  render_nagios(report, nullptr, out);
  return out.str();
}

TEST(HealthOutput, NagiosLineHasTextAndPerfdata) {
  EXPECT_EQ(nagios_line(assess_health(one_target("records", "open", "kms"))),
            "KMS OK - 1 domain(s), 1 SRV target(s), 1 answer as KMS | domains=1 srv_targets=1 reachable=1 "
            "time=0.012s\n");
  const std::string crit = nagios_line(assess_health(one_target("servfail", "", "")));
  EXPECT_EQ(crit.rfind("KMS CRITICAL - corp.example: no reachable KMS host (servfail from 10.0.0.53:53); ", 0), 0u)
      << crit;
  EXPECT_EQ(nagios_line(unknown_health("bad | text")).rfind("KMS UNKNOWN - bad / text | domains=0", 0), 0u);
}

TEST(HealthOutput, JsonAndPrometheus) {
  const LiveResult r = one_target("records", "open", "kms");
  const HealthReport h = assess_health(r);
  std::ostringstream json, textfile;
  render_health_json(h, &r, json);
  EXPECT_NE(json.str().find("\"exit_code\": 0"), std::string::npos);
  render_prometheus(h, &r, textfile);
  const std::string prom = textfile.str();
  EXPECT_NE(prom.find("kmsdiag_check_status 0\n"), std::string::npos);
  EXPECT_NE(prom.find("kmsdiag_srv_lookup_ok{domain=\"corp.example\",server=\"10.0.0.53:53\",status=\"records\"} 1\n"),
            std::string::npos);
}

TEST(AtomicFile, WriteReplacesTheFile) {
  const std::string path = ::testing::TempDir() + "kmsdiag_health.prom";
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
