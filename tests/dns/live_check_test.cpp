// The live check against real servers on loopback (the ctest fixture starts dnsmasq and fakedns.py).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli.hpp"
#include "probe/health_status.hpp"
#include "probe/live_check.hpp"
#include "test_servers.hpp"

namespace kmsdiag {
namespace {

const std::string kDns = KMSDIAG_TEST_DNS;
const std::string kFake = KMSDIAG_TEST_FAKE;
// The loopback /24 of this build folder (tests/dns/CMakeLists.txt): host N of it.
std::string test_host(int n) { return std::string(KMSDIAG_TEST_NET) + "." + std::to_string(n); }
constexpr int kKmsPort = KMSDIAG_TEST_KMS_PORT;

// The hosts dnsmasq.conf.in names, with the behaviour each address has.
class LiveCheck : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const UuidBytes kms = uuid_wire_bytes(kKmsInterfaceUuid);
    const UuidBytes other = uuid_wire_bytes("e1af8308-5d1f-11c9-91a4-08002b14a0fa");  // endpoint mapper
    kms_ = new test::TcpResponder(test_host(1), kKmsPort, test::Behaviour::rpc, kms);
    backlog_ = new test::FullBacklogListener(test_host(3), kKmsPort);
    nak_ = new test::TcpResponder(test_host(4), kKmsPort, test::Behaviour::rpc, other);
    bytes_ = new test::TcpResponder(test_host(5), kKmsPort, test::Behaviour::other_bytes);
    silent_ = new test::TcpResponder(test_host(6), kKmsPort, test::Behaviour::silent);
  }
  static void TearDownTestSuite() {
    delete kms_;
    delete backlog_;
    delete nak_;
    delete bytes_;
    delete silent_;
  }

  static LiveResult check(std::vector<std::string> domains, std::vector<std::string> servers,
                          std::vector<std::string> expect = {}, int deadline_ms = 10000) {
    LiveOptions o;
    o.domains = std::move(domains);
    o.servers = std::move(servers);
    o.expect_hosts = std::move(expect);
    o.timeout_ms = 300;
    o.deadline_ms = deadline_ms;
    return run_live_check(o);
  }

  static inline test::TcpResponder *kms_, *nak_, *bytes_, *silent_;
  static inline test::FullBacklogListener* backlog_;
};

const TargetProbe* find_target(const LiveResult& r, const std::string& host) {
  for (const auto& t : r.targets)
    if (t.target.host == host) return &t;
  return nullptr;
}

TEST_F(LiveCheck, HealthyDomainHasOneKmsAnsweringTheBind) {
  const LiveResult r = check({"corp.example"}, {kDns});
  ASSERT_EQ(r.lookups.size(), 1u);
  EXPECT_EQ(r.lookups[0].answer.status, "records");
  ASSERT_EQ(r.targets.size(), 1u);
  const auto& t = r.targets[0];
  EXPECT_EQ(t.target.host, "kms1.corp.example");
  EXPECT_EQ(t.target.port, kKmsPort);
  EXPECT_EQ(t.resolved.status, "resolved");
  EXPECT_EQ(t.resolved.addresses, std::vector<std::string>{test_host(1)});
  EXPECT_EQ(t.tcp, "open");
  EXPECT_EQ(t.rpc, "kms");
  EXPECT_EQ(assess_health(r).state, Health::ok);
  EXPECT_FALSE(r.deadline_hit);
}

TEST_F(LiveCheck, MultiHostTargetsComeInRfc2782OrderWithTheirReachability) {
  const LiveResult r = check({"multi.corp.example"}, {kDns});
  ASSERT_EQ(r.targets.size(), 3u);
  EXPECT_EQ(r.targets[0].target.host, "kmsa.corp.example");
  EXPECT_EQ(r.targets[1].target.host, "kmsc.corp.example");
  EXPECT_EQ(r.targets[2].target.host, "kmsb.corp.example");
  EXPECT_EQ(r.targets[0].rank, 1);
  EXPECT_EQ(r.targets[0].rpc, "kms");
  EXPECT_EQ(r.targets[1].tcp, "timeout");  // full accept queue: SYNs dropped
  EXPECT_EQ(r.targets[2].tcp, "refused");  // nothing listens
  const HealthReport h = assess_health(r);
  EXPECT_EQ(h.state, Health::warning);
  EXPECT_EQ(h.reachable, 1);
}

TEST_F(LiveCheck, MissingRecordsAreNxdomainNodataOrRefused) {
  const LiveResult r = check({"missing.corp.example", "nodata.example", "other.test"}, {kDns});
  ASSERT_EQ(r.lookups.size(), 3u);
  EXPECT_EQ(r.lookups[0].answer.status, "nxdomain");
  EXPECT_EQ(r.lookups[1].answer.status, "nodata");
  EXPECT_EQ(r.lookups[2].answer.status, "refused");  // dnsmasq is not authoritative for other.test
  EXPECT_EQ(assess_health(r).state, Health::critical);
}

TEST_F(LiveCheck, TargetWithoutAddressIsStale) {
  const LiveResult r = check({"noaddr.corp.example"}, {kDns});
  const TargetProbe* t = find_target(r, "ghost.corp.example");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->resolved.status, "nxdomain");
  EXPECT_TRUE(t->tcp.empty());
  EXPECT_EQ(assess_health(r).state, Health::critical);
}

TEST_F(LiveCheck, OddPortIsProbedWhereTheRecordSays) {
  const LiveResult r = check({"port.corp.example"}, {kDns});
  ASSERT_EQ(r.targets.size(), 1u);
  EXPECT_EQ(r.targets[0].target.port, KMSDIAG_TEST_ODD_PORT);
  EXPECT_EQ(r.targets[0].tcp, "refused");
}

TEST_F(LiveCheck, ServicesThatAreNotKmsAreToldApart) {
  const LiveResult r = check({"probes.corp.example"}, {kDns});
  ASSERT_NE(find_target(r, "kmsn.corp.example"), nullptr);
  EXPECT_EQ(find_target(r, "kmsn.corp.example")->rpc, "not-kms");
  EXPECT_NE(find_target(r, "kmsn.corp.example")->rpc_detail.find("bind_nak"), std::string::npos);
  EXPECT_EQ(find_target(r, "kmsx.corp.example")->rpc, "not-kms");
  EXPECT_EQ(find_target(r, "kmss.corp.example")->rpc, "no-answer");
  EXPECT_EQ(assess_health(r).state, Health::critical);
}

TEST_F(LiveCheck, BigAnswerIsRetriedOverTcp) {
  const LiveResult r = check({"big.corp.example", "tc.fault.test"}, {kDns, kFake});
  // dnsmasq answers big.corp.example with 40 records (truncated over UDP); fakedns sends TC=1 over UDP.
  EXPECT_EQ(r.lookups[0].answer.status, "records");
  EXPECT_EQ(r.lookups[0].answer.targets.size(), 40u);
  EXPECT_EQ(r.lookups[3].answer.status, "records");
  EXPECT_EQ(r.lookups[3].answer.targets.size(), 40u);
}

TEST_F(LiveCheck, FaultServerAnswersAreClassified) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"ok", "records"},      {"servfail", "servfail"}, {"refused", "refused"},     {"nxdomain", "nxdomain"},
      {"nodata", "nodata"},   {"formerr", "malformed"}, {"malformed", "malformed"}, {"notimp", "error"},
      {"garbage", "timeout"}, {"badid", "timeout"},     {"drop", "timeout"},        {"slow700", "records"}};
  std::vector<std::string> domains;
  for (const auto& c : cases) domains.push_back(c.first + ".fault.test");
  const LiveResult r = check(domains, {kFake});
  ASSERT_EQ(r.lookups.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(r.lookups[i].answer.status, cases[i].second) << cases[i].first;
}

TEST_F(LiveCheck, ServersThatDisagreeAreReported) {
  const LiveResult r = check({"split.corp.example"}, {kDns, kFake});
  ASSERT_EQ(r.summaries.size(), 1u);
  EXPECT_FALSE(r.summaries[0].agree);
  EXPECT_EQ(r.lookups[0].answer.status, "nxdomain");
  EXPECT_EQ(r.lookups[1].answer.status, "records");
  ASSERT_EQ(r.targets.size(), 1u);
  EXPECT_EQ(r.targets[0].servers, std::vector<std::string>{kFake});
  EXPECT_EQ(r.targets[0].rpc, "kms");
  const HealthReport h = assess_health(r);
  EXPECT_EQ(h.state, Health::warning);
}

TEST_F(LiveCheck, ExpectedHostsFlagRogueAndMissingOnes) {
  const LiveResult r = check({"rogue.corp.example"}, {kDns}, {"KMS1.corp.example.", "kms9.corp.example"});
  ASSERT_EQ(r.summaries.size(), 1u);
  EXPECT_EQ(r.summaries[0].rogue, std::vector<std::string>{"lab-kms.corp.example"});
  EXPECT_EQ(r.summaries[0].missing, std::vector<std::string>{"kms9.corp.example"});
  EXPECT_EQ(find_target(r, "lab-kms.corp.example")->expected, "0");
  EXPECT_EQ(find_target(r, "kms1.corp.example")->expected, "1");
}

TEST_F(LiveCheck, DeadlineHoldsAgainstASilentServer) {
  const auto start = std::chrono::steady_clock::now();
  LiveOptions o;
  o.domains = {"drop.fault.test"};
  o.servers = {kFake};
  o.timeout_ms = 2000;
  o.deadline_ms = 400;
  const LiveResult r = run_live_check(o);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_TRUE(r.deadline_hit);
  EXPECT_LT(ms.count(), 1500);  // 2 tries x 2 s would be 6 s
  EXPECT_EQ(assess_health(r).state, Health::unknown);
}

TEST_F(LiveCheck, LiveRecordsCarryTheSharedSrvLookupFields) {
  const auto records = live_records(check({"multi.corp.example"}, {kDns}), "probe-host");
  ASSERT_FALSE(records.empty());
  const Record& lookup = records[0];
  EXPECT_EQ(lookup.kind, "dns.srv-lookup");
  EXPECT_EQ(lookup.get("source"), "live");
  EXPECT_EQ(lookup.get("status"), "records");
  EXPECT_EQ(lookup.get("count"), "3");
  EXPECT_EQ(lookup.get("targets"),
            "10 50 1688 kmsa.corp.example,10 20 1688 kmsc.corp.example,20 10 1688 kmsb.corp.example");
  EXPECT_EQ(lookup.machine, "probe-host");
  int targets = 0, domains = 0;
  for (const auto& r : records) {
    targets += r.kind == "probe.target";
    domains += r.kind == "dns.srv-domain";
  }
  EXPECT_EQ(targets, 3);
  EXPECT_EQ(domains, 1);
}

// `kmsdiag check` / `kmsdiag dns` through the real command line, output captured.
struct CliRun {
  int rc = -1;
  std::string out;
};

CliRun run(std::vector<std::string> args) {
  args.insert(args.begin(), "kmsdiag");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream captured;
  auto* old = std::cout.rdbuf(captured.rdbuf());
  CliRun r;
  r.rc = run_cli(static_cast<int>(argv.size()), argv.data());
  std::cout.rdbuf(old);
  r.out = captured.str();
  return r;
}

// A live NXDOMAIN and the same domain's pasted nslookup output are one SRV-lookup concept: exactly one
// srv-record-missing finding for the domain, with both lookups as its evidence.
TEST_F(LiveCheck, LiveAndPastedNxdomainAreOneFinding) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "kmsdiag-live-nxdomain";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "nslookup.txt") << "Server:  dc1.corp.example\nAddress:  10.0.0.53\n\n"
                                         "*** dc1.corp.example can't find _vlmcs._tcp.missing.corp.example: "
                                         "Non-existent domain\n";
  const CliRun r = run({"analyze", dir.string(), "--live", "--live-domain", "missing.corp.example", "--server", kDns,
                        "--format", "json"});
  std::filesystem::remove_all(dir);
  const auto report = nlohmann::json::parse(r.out);
  int missing = 0;
  for (const auto& f : report.at("findings"))
    if (f.at("cause") == "srv-record-missing") {
      ++missing;
      EXPECT_EQ(f.at("evidence_total"), 2) << f.dump();
    }
  EXPECT_EQ(missing, 1) << r.out;
}

TEST_F(LiveCheck, CheckStatusLinesAndExitCodes) {
  const std::vector<std::tuple<std::string, int, std::string>> cases{
      {"corp.example", 0, "KMS OK - "},
      {"multi.corp.example", 1, "KMS WARNING - "},
      {"missing.corp.example", 2, "KMS CRITICAL - missing.corp.example: no reachable KMS host (nxdomain from "},
      {"noaddr.corp.example", 2, "KMS CRITICAL - "},
      {"probes.corp.example", 2, "KMS CRITICAL - "},
  };
  for (const auto& [domain, rc, prefix] : cases) {
    const CliRun r = run({"check", domain, "--server", kDns, "--timeout-ms", "300"});
    EXPECT_EQ(r.rc, rc) << domain << ": " << r.out;
    EXPECT_TRUE(r.out.starts_with(prefix)) << r.out;
    EXPECT_NE(r.out.find(" | domains=1 srv_targets="), std::string::npos) << r.out;
  }
}

TEST_F(LiveCheck, CheckIsUnknownWhenItCannotRun) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"check", "corp.example", "--server", "not-an-ip"},
           {"check", "corp.example", "--timeout-ms", "soon"},
           {"check", "corp.example", "--bogus"},
           {"check", "corp.example", "--server", kFake, "--deadline-ms", "300", "drop.fault.test"}}) {
    const CliRun r = run(args);
    EXPECT_EQ(r.rc, 3) << r.out;
    EXPECT_TRUE(r.out.starts_with("KMS UNKNOWN - ")) << r.out;
  }
}

// Issue 10 item 17: a domain that is not a domain name is a bad argument (UNKNOWN), not a failed lookup.
TEST_F(LiveCheck, MalformedDomainsAreUnknownNotCritical) {
  for (const std::string& domain :
       std::vector<std::string>{"a..b.example", "foo-.corp.example", "corp.-foo.example", ".", "corp example",
                                std::string(64, 'a') + ".example", std::string(250, 'a') + ".example"}) {
    const CliRun r = run({"check", domain, "--server", kDns, "--timeout-ms", "300"});
    EXPECT_EQ(r.rc, 3) << domain << ": " << r.out;
    EXPECT_TRUE(r.out.starts_with("KMS UNKNOWN - not a DNS domain name: " + domain)) << r.out;
  }
  EXPECT_EQ(run({"check", "corp.example.", "--server", kDns, "--timeout-ms", "300"}).rc, 0);  // a final dot is fine
}

// RFC 2782: the target "." says the service is decidedly not available; it is no stale record to probe.
TEST_F(LiveCheck, TargetDotIsServiceNotAvailable) {
  const LiveResult r = check({"declined.corp.example"}, {kDns});
  ASSERT_EQ(r.lookups.size(), 1u);
  EXPECT_EQ(r.lookups[0].answer.status, "unavailable");
  EXPECT_TRUE(r.targets.empty());
  const CliRun c = run({"check", "declined.corp.example", "--server", kDns, "--timeout-ms", "300"});
  EXPECT_EQ(c.rc, 2);
  EXPECT_NE(c.out.find("no reachable KMS host (unavailable from "), std::string::npos) << c.out;
  EXPECT_EQ(c.out.find("stale"), std::string::npos) << c.out;
  const CliRun a = run({"analyze", KMSDIAG_SOURCE_DIR "/samples/README.md", "--live", "--live-domain",
                        "declined.corp.example", "--server", kDns, "--format", "json"});
  const auto report = nlohmann::json::parse(a.out);
  std::vector<std::string> rules;
  for (const auto& f : report.at("findings")) rules.push_back(f.at("rule_id"));
  EXPECT_EQ(rules, std::vector<std::string>{"srv-service-declined-lookup"}) << a.out;
}

// An SRV record whose owner is another name than the question is not this domain's record.
TEST_F(LiveCheck, AnAnswerForAnotherNameIsIgnoredWithANote) {
  const LiveResult r = check({"otherowner.fault.test"}, {kFake});
  ASSERT_EQ(r.lookups.size(), 1u);
  EXPECT_EQ(r.lookups[0].answer.status, "nodata");
  EXPECT_EQ(r.lookups[0].answer.detail,
            "ignored 1 SRV record(s) of another name than the question (_vlmcs._tcp.elsewhere.test)");
  EXPECT_TRUE(r.targets.empty());
}

// `analyze --live` with no domain to probe says that no probe ran, and the report does not claim one.
TEST_F(LiveCheck, LiveWithoutADomainSaysNoProbeRan) {
  if (!read_resolv_conf("/etc/resolv.conf").search.empty()) GTEST_SKIP() << "this machine has a search list";
  std::ostringstream err;
  auto* old = std::cerr.rdbuf(err.rdbuf());
  const CliRun r =
      run({"analyze", KMSDIAG_SOURCE_DIR "/samples/README.md", "--live", "--server", kDns, "--format", "json"});
  std::cerr.rdbuf(old);
  EXPECT_NE(err.str().find("kmsdiag: --live: no live probe ran: no domain to probe (give --live-domain"),
            std::string::npos)
      << err.str();
  EXPECT_EQ(nlohmann::json::parse(r.out).at("live"), false) << r.out;
}

TEST_F(LiveCheck, CheckWritesJsonAndPrometheusTextfile) {
  const std::string prom = std::string(KMSDIAG_BINARY_DIR) + "/tests/dns/check.prom";
  std::remove(prom.c_str());
  const CliRun r = run({"check", "corp.example", "--server", kDns, "--format", "json", "--prometheus", prom});
  EXPECT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("\"status\": \"OK\""), std::string::npos) << r.out;
  std::ifstream in(prom);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("kmsdiag_check_status 0\n"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("kmsdiag_kms_reachable{domain=\"corp.example\"} 1\n"), std::string::npos);
}

TEST_F(LiveCheck, DnsCommandShowsOrderAndProblems) {
  const CliRun r = run({"dns", "multi.corp.example", "rogue.corp.example", "--server", kDns, "--timeout-ms", "300",
                        "--expect-host", "kmsa.corp.example"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.out.find("1. kmsa.corp.example:1688  priority 10 weight 50"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3. kmsb.corp.example:1688"), std::string::npos);
  EXPECT_NE(r.out.find("tcp refused"), std::string::npos);
  EXPECT_NE(r.out.find("unexpected (rogue) hosts: kms1.corp.example, lab-kms.corp.example"), std::string::npos);
  const CliRun json = run({"dns", "corp.example", "--server", kDns, "--format", "json"});
  EXPECT_EQ(json.rc, 0);
  EXPECT_NE(json.out.find("\"rpc\": \"kms\""), std::string::npos) << json.out;
}

}  // namespace
}  // namespace kmsdiag
