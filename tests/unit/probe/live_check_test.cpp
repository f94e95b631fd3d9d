#include "probe/live_check.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace kmsdiag {
namespace {

TEST(LiveCheck, NormalizeDomain) {
  EXPECT_EQ(normalize_domain(" Corp.Example. "), "corp.example");
  EXPECT_EQ(normalize_domain("_vlmcs._tcp.corp.example"), "corp.example");
}

TEST(LiveCheck, ResolvConfSearchListLastLineWinsAndNameservers) {
  const std::string path = testing::TempDir() + "kmsdiag_resolv.conf";
  {
    std::ofstream f(path);
    f << "# test\nnameserver 10.0.0.53\nnameserver ::1\ndomain old.example\n"
         "search Corp.Example. lab.corp.example # comment\n";
  }
  const ResolvConf rc = read_resolv_conf(path);
  EXPECT_EQ(rc.search, (std::vector<std::string>{"corp.example", "lab.corp.example"}));
  EXPECT_EQ(rc.nameservers, (std::vector<std::string>{"10.0.0.53:53", "[::1]:53"}));
  std::remove(path.c_str());
  EXPECT_TRUE(read_resolv_conf(path).search.empty());
}

TEST(LiveCheck, NoNameserverMeansTheCheckCannotRun) {
  LiveOptions o;
  o.domains = {"corp.example"};
  o.resolv_conf = testing::TempDir() + "kmsdiag_no_such_resolv.conf";
  EXPECT_THROW(run_live_check(o), std::runtime_error);
}

TEST(LiveCheck, RecordsForAStaleTarget) {
  LiveResult r;
  r.servers = {"10.0.0.53:53"};
  r.domains = {"corp.example"};
  DomainLookup l;
  l.domain = "corp.example";
  l.answer.status = "records";
  l.answer.targets = {{0, 100, 1688, "ghost.corp.example"}};
  r.lookups.push_back(l);
  TargetProbe t;
  t.domain = "corp.example";
  t.target = l.answer.targets[0];
  t.rank = 1;
  t.servers = r.servers;
  t.resolved.status = "nxdomain";
  t.resolved.detail = "Domain name not found";
  r.targets.push_back(t);
  DomainSummary s;
  s.domain = "corp.example";
  s.targets = 1;
  s.hosts = {"ghost.corp.example"};
  r.summaries.push_back(s);
  const auto recs = live_records(r, "me");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].kind, "dns.srv-lookup");
  EXPECT_EQ(recs[0].get("targets"), "0 100 1688 ghost.corp.example");
  EXPECT_EQ(recs[1].kind, "probe.target");
  EXPECT_EQ(recs[1].get("resolve"), "nxdomain");
  EXPECT_EQ(recs[1].get("tcp"), "");
  EXPECT_EQ(recs[1].get("detail"), "Domain name not found");
  EXPECT_EQ(recs[2].kind, "dns.srv-domain");
  EXPECT_EQ(recs[2].get("agree"), "1");
  EXPECT_EQ(recs[2].get("reachable"), "0");
  for (const auto& rec : recs) EXPECT_EQ(rec.get("source"), "live");
}

}  // namespace
}  // namespace kmsdiag
