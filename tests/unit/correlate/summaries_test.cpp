#include <gtest/gtest.h>

#include "correlate/correlator.hpp"
#include "fact_builders.hpp"

namespace kmsdiag::testing {
namespace {

std::vector<Record> run(std::vector<Record> facts, std::vector<InputSummary> inputs) {
  correlate(facts, inputs, Knowledge{});
  return facts;
}

const Record& only(const std::vector<Record>& out, std::string_view kind) {
  auto found = of_kind(out, kind);
  EXPECT_EQ(found.size(), 1u) << kind;
  return *found.at(0);
}

TEST(CmidSummary, RenamedMachineHasOneConcurrentName) {
  auto out = run({client_request("a.evtx", 1, kT0, "EC2AMAZ-OLD", "d02f0758-43f9-4809-9821-e84edb810cbe"),
                  client_request("a.evtx", 5, kT0 + 2 * kDay, "EC2AMAZ-NEW", "D02F0758-43F9-4809-9821-E84EDB810CBE")},
                 {input("a.evtx", 5)});
  const Record& c = only(out, "kms.cmid");
  EXPECT_EQ(c.get("cmid"), "d02f0758-43f9-4809-9821-e84edb810cbe");
  EXPECT_EQ(c.get("machine_count"), "2");
  EXPECT_EQ(c.get("concurrent_names"), "1");
  EXPECT_EQ(c.get("client_logs"), "1");
  EXPECT_EQ(c.get("requests"), "2");
  EXPECT_EQ(c.get("machines"), "EC2AMAZ-NEW,EC2AMAZ-OLD");
}

TEST(CmidSummary, ClonesOverlapAcrossClientAndHostSides) {
  // Three clones share a CMID; PC3 is known only from the host log, under its FQDN; PC1 also shows
  // up there under its FQDN and must not count as a fourth name.
  auto out = run(
      {client_request("pc1.evtx", 1, kT0, "PC1", "dup"), client_request("pc1.evtx", 9, kT0 + 3 * kDay, "PC1", "dup"),
       client_request("pc2.evtx", 1, kT0 + kDay, "PC2", "dup"),
       client_request("pc2.evtx", 4, kT0 + 4 * kDay, "PC2", "dup"),
       host_request("kms.evtx", 1, kT0 + 2 * kDay, "KMS1", "pc3.contoso.com", "dup"),
       host_request("kms.evtx", 2, kT0 + 3 * kDay, "KMS1", "PC1.contoso.com", "dup")},
      {input("pc1.evtx", 9), input("pc2.evtx", 4), input("kms.evtx", 2)});
  const Record& c = only(out, "kms.cmid");
  EXPECT_EQ(c.get("machine_count"), "3");
  EXPECT_EQ(c.get("concurrent_names"), "3");
  EXPECT_EQ(c.get("client_logs"), "2");
  EXPECT_EQ(c.get("requests"), "6");
  EXPECT_EQ(c.source.path, "pc1.evtx");  // summarises from its earliest record
}

TEST(HostCounts, SlidingThirtyDayWindow) {
  std::vector<Record> facts;
  // Days 0..3: four CMIDs; day 31: a fifth; the first two have aged out (day 0, day 1 < 31 - 30).
  for (int d = 0; d < 4; ++d)
    facts.push_back(
        host_request("kms.evtx", d + 1, kT0 + d * kDay, "KMS1", "pc" + std::to_string(d), "c" + std::to_string(d)));
  facts.push_back(host_request("kms.evtx", 5, kT0 + 31 * kDay + kMin, "KMS1", "pc9", "c9"));
  facts.push_back(host_request("kms.evtx", 6, kT0 + 31 * kDay + 2 * kMin, "KMS1", "pc2", "c2"));  // a renewal
  auto out = run(facts, {input("kms.evtx", 6)});
  EXPECT_TRUE(of_kind(out, "kms.host-request").empty());  // accepted requests live in the ledger only
  const Record& host = only(out, "kms.host");
  EXPECT_EQ(host.get("distinct_cmids_30d"), "4");
  EXPECT_EQ(host.get("distinct_cmids_30d_windows"), "4");
  EXPECT_EQ(host.get("distinct_cmids_30d_office"), "0");
  EXPECT_EQ(host.get("current_cmids_30d"), "3");  // c2, c3, c9
  EXPECT_EQ(host.get("host_requests"), "6");
  EXPECT_EQ(host.get("host_log"), "1");
  EXPECT_EQ(host.get("clients"), "5");
  EXPECT_EQ(host.get("stale_cmids"), "0");
}

TEST(HostCounts, RefusalsStayAsFactsOncePerKindWithTheirCount) {
  std::vector<Record> facts;
  for (int i = 0; i < 100; ++i)
    facts.push_back(host_request("kms.evtx", i + 1, kT0 + i * 20'000, "KMS1", "PC7", "c7", "0xC004F038"));
  facts.push_back(host_request("kms.evtx", 101, kT0 + kDay, "KMS1", "PC8", "c8"));
  auto out = run(facts, {input("kms.evtx", 101)});
  const auto refused = of_kind(out, "kms.host-request");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0]->get("requests"), "100");
  EXPECT_EQ(refused[0]->get("last"), format_time(kT0 + 99 * 20'000));
  EXPECT_EQ(out.front().kind, "kms.host-request");  // where the first refusal stood
  const Record& host = only(out, "kms.host");
  EXPECT_EQ(host.get("host_requests"), "101");
  EXPECT_EQ(host.get("host_failures"), "100");
  const Record& c7 = *of_kind(out, "kms.cmid").at(0);
  EXPECT_EQ(c7.get("requests"), "100");
  EXPECT_EQ(c7.get("machines"), "PC7");
  EXPECT_EQ(only(out, "dataset").get("host_requests"), "101");
}

TEST(HostSummary, CountsAttemptsPerHostAndSplitAcrossHosts) {
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1", "0x00000000", "KMS1.contoso.com"),
                  client_response("a.evtx", 2, kT0 + kMin, "PC1", "0x00000000", "0", "4"),
                  client_request("b.evtx", 1, kT0, "PC2", "c2", "0x00000000", "kms2.contoso.com"),
                  client_response("b.evtx", 2, kT0 + kMin, "PC2", "0x00000000", "0", "6"),
                  client_request("c.evtx", 1, kT0, "PC3", "c3", "0xC004F074", "kms1.contoso.com")},
                 {input("a.evtx", 2), input("b.evtx", 2), input("c.evtx", 1)});
  auto hosts = of_kind(out, "kms.host");
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_EQ(hosts[0]->get("host"), "KMS1.contoso.com");
  EXPECT_EQ(hosts[0]->get("attempts"), "2");
  EXPECT_EQ(hosts[0]->get("answered"), "1");
  EXPECT_EQ(hosts[0]->get("failures"), "2");
  EXPECT_EQ(hosts[0]->get("clients"), "2");
  EXPECT_EQ(hosts[0]->get("last_count"), "4");
  EXPECT_EQ(hosts[0]->get("max_n_policy"), "25");
  EXPECT_EQ(hosts[0]->get("distinct_cmids_30d"), "");
  EXPECT_EQ(hosts[0]->get("host_log"), "0");
  const Record& all = only(out, "kms.hosts");
  EXPECT_EQ(all.get("hosts"), "2");
  EXPECT_EQ(all.get("host_list"), "KMS1.contoso.com,kms2.contoso.com");
  EXPECT_EQ(all.get("below_threshold_attempts"), "2");
}

TEST(InputAndDataset, OneInputRecordPerSummaryAndOneDataset) {
  InputSummary skipped = input("notes.txt", 0, "");
  skipped.skipped = "unrecognized format";
  InputSummary damaged = input("app.evtx", 3);
  damaged.kms_records = 2;
  damaged.problems.push_back({SourceRef{"app.evtx", "record", 4, ""}, "bad chunk"});
  auto out = run({client_request("app.evtx", 1, kT0, "PC1", "c1"), client_response("app.evtx", 2, kT0 + kMin, "PC1"),
                  host_request("hostlog.xml", 1, kT0 + 3 * kDay, "KMS1", "PC1", "c1")},
                 {damaged, input("Key_Management_Service.evtx", 0), input("hostlog.xml", 1, "event-xml"), skipped});
  auto inputs = of_kind(out, "input");
  ASSERT_EQ(inputs.size(), 4u);
  EXPECT_EQ(inputs[0]->get("path"), "app.evtx");
  EXPECT_EQ(inputs[0]->source.path, "app.evtx");
  EXPECT_EQ(inputs[0]->get("problems"), "1");
  EXPECT_EQ(inputs[0]->get("kms_log"), "0");
  EXPECT_EQ(inputs[0]->get("kms_records"), "2");
  EXPECT_EQ(inputs[1]->get("kms_log"), "0");  // the name pattern allows spaces, not underscores
  EXPECT_EQ(inputs[1]->get("empty"), "1");
  EXPECT_EQ(inputs[2]->get("kms_log"), "1");  // by its 12290 content
  EXPECT_EQ(inputs[2]->get("format"), "event-xml");
  EXPECT_EQ(inputs[3]->get("skipped"), "unrecognized format");

  const Record& d = only(out, "dataset");
  EXPECT_EQ(d.get("inputs"), "4");
  EXPECT_EQ(d.get("records"), "4");
  EXPECT_EQ(d.get("kms_records"), "2");
  EXPECT_EQ(d.get("host_logs"), "1");
  EXPECT_EQ(d.get("host_requests"), "1");
  EXPECT_EQ(d.get("client_requests"), "1");
  EXPECT_EQ(d.get("client_responses"), "1");
  EXPECT_EQ(d.get("client_attempts"), "1");
  EXPECT_EQ(d.get("latest"), format_time(kT0 + 3 * kDay));
}

TEST(Correlate, OutputIsDeterministicAndKeepsFacts) {
  std::vector<Record> facts = {client_request("a.evtx", 1, kT0, "PC1", "c1"),
                               client_response("a.evtx", 2, kT0 + kMin, "PC1")};
  auto first = run(facts, {input("a.evtx", 2)});
  auto second = run(facts, {input("a.evtx", 2)});
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].kind, second[i].kind);
    ASSERT_EQ(first[i].fields.size(), second[i].fields.size());
    for (auto a = first[i].fields.begin(), b = second[i].fields.begin(); a != first[i].fields.end(); ++a, ++b)
      EXPECT_EQ(a->value, b->value);
  }
  EXPECT_EQ(first[0].kind, "kms.client-request");
  EXPECT_EQ(first[1].kind, "kms.client-response");
}

}  // namespace
}  // namespace kmsdiag::testing
