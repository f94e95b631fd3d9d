#include <gtest/gtest.h>

#include <map>

#include "correlate/correlator.hpp"
#include "fact_builders.hpp"

namespace kmsdiag::testing {
namespace {

std::vector<Record> correlate_with(std::vector<Record> facts, std::vector<InputSummary> inputs, const Knowledge& kb) {
  correlate(facts, inputs, kb);
  return facts;
}

std::vector<Record> run(std::vector<Record> facts, std::vector<InputSummary> inputs) {
  return correlate_with(std::move(facts), std::move(inputs), Knowledge{});
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
  EXPECT_EQ(host.get("current_cmids_30d"), "3");  // c2, c3, c9
  // Without tables the requests name no count line: one line, uncapped.
  const Record& line = only(out, "kms.host-line");
  EXPECT_EQ(line.get("count"), "4");
  EXPECT_EQ(line.get("current_count"), "3");
  EXPECT_EQ(line.get("cap"), "");
  EXPECT_EQ(line.get("threshold"), "25");
  EXPECT_EQ(host.get("host_requests"), "6");
  EXPECT_EQ(host.get("host_log"), "1");
  EXPECT_EQ(host.get("clients"), "5");
  EXPECT_EQ(host.get("stale_cmids"), "0");
}

// Real tables: the interpreter's product fields on hand-built 12290s and client attempts.
const Knowledge& tables() {
  static const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  return kb;
}

Record office_or_windows(Record r, const std::string& act_id) {
  const ProductInfo* p = tables().product(act_id);
  r.set("act_id", act_id);
  r.set("product", p->name);
  r.set("product_family", p->family);
  r.set("product_n", std::to_string(p->n_policy));
  r.set("n_policy", std::to_string(p->n_policy));
  r.set("count_line", tables().count_line_of(act_id)->id);
  return r;
}

const char* const kWin = "73111121-5638-40f6-bc11-f1d7b0d64300";         // Windows 10/11 Enterprise
const char* const kOffice2016 = "d450596f-894d-49e0-966a-fd39ed4c4c64";  // Office 2016 Professional Plus
const char* const kOffice2019 = "85dd8b5f-eaa4-4af3-a628-cce9e77c9a03";  // Office 2019 Professional Plus

std::map<std::string, const Record*> lines_by_id(const std::vector<Record>& out) {
  std::map<std::string, const Record*> lines;
  for (const Record* r : of_kind(out, "kms.host-line")) lines[std::string(r->get("line"))] = r;
  return lines;
}

TEST(HostLines, EachOfficeVersionCountsOnItsOwnAndCountsStopAtTheCap) {
  std::vector<Record> facts;
  uint64_t pos = 0;
  // 60 Windows clients renew within a week: 60 distinct CMIDs, the host reports 50.
  for (int k = 0; k < 60; ++k)
    facts.push_back(office_or_windows(
        host_request("kms.evtx", ++pos, kT0 + k * 10 * kMin, "KMS1", "pc" + std::to_string(k), "w" + std::to_string(k)),
        kWin));
  // Office 2016 and Office 2019 on three PCs each, in their grace period: 6 together, 3 on each line.
  for (int k = 0; k < 3; ++k)
    for (const char* act : {kOffice2016, kOffice2019}) {
      Record r =
          office_or_windows(host_request("kms.evtx", ++pos, kT0 + kDay + k * kMin, "KMS1", "of" + std::to_string(k),
                                         std::string(act).substr(0, 4) + std::to_string(k)),
                            act);
      r.set("license_status", "2");
      facts.push_back(std::move(r));
    }
  auto out = correlate_with(facts, {input("kms.evtx", pos)}, tables());
  const Record& host = only(out, "kms.host");
  EXPECT_EQ(host.get("count_lines"), "windows,office2016,office2019");  // table order
  EXPECT_EQ(host.get("line_counts"), "Windows 50/25 (capped: 60 CMIDs),Office 2016 3/5,Office 2019 3/5");
  EXPECT_EQ(host.get("distinct_cmids_30d"), "60");  // uncapped, the busiest line
  const auto lines = lines_by_id(out);
  ASSERT_EQ(lines.size(), 3u);
  const Record& windows = *lines.at("windows");
  EXPECT_EQ(windows.get("line_name"), "Windows");
  EXPECT_EQ(windows.get("count"), "50");
  EXPECT_EQ(windows.get("distinct_cmids_30d"), "60");
  EXPECT_EQ(windows.get("current_count"), "50");
  EXPECT_EQ(windows.get("current_cmids_30d"), "60");
  EXPECT_EQ(windows.get("cap"), "50");
  EXPECT_EQ(windows.get("threshold"), "25");
  EXPECT_EQ(windows.get("requests"), "60");
  EXPECT_EQ(windows.get("retrying_cmids_30d"), "0");
  EXPECT_EQ(windows.get("host"), "KMS1");
  const Record& office2016 = *lines.at("office2016");
  EXPECT_EQ(office2016.get("line_name"), "Office 2016");
  EXPECT_EQ(office2016.get("count"), "3");
  EXPECT_EQ(office2016.get("cap"), "10");
  EXPECT_EQ(office2016.get("threshold"), "5");
  EXPECT_EQ(office2016.get("retrying_cmids_30d"), "3");
  EXPECT_EQ(office2016.get("host_counts"), host.get("line_counts"));
  EXPECT_EQ(lines.at("office2019")->get("count"), "3");
}

TEST(HostLines, AnOfficeVersionStopsAtTen) {
  std::vector<Record> facts;
  for (int k = 0; k < 12; ++k)
    facts.push_back(office_or_windows(
        host_request("kms.evtx", k + 1, kT0 + k * kMin, "KMS1", "pc" + std::to_string(k), "c" + std::to_string(k)),
        kOffice2019));
  auto out = correlate_with(facts, {input("kms.evtx", 12)}, tables());
  const Record& line = only(out, "kms.host-line");
  EXPECT_EQ(line.get("count"), "10");
  EXPECT_EQ(line.get("distinct_cmids_30d"), "12");
  EXPECT_EQ(line.get("threshold"), "5");
  EXPECT_EQ(only(out, "kms.host").get("line_counts"), "Office 2019 10/5 (capped: 12 CMIDs)");
}

TEST(HostLines, ClientFailuresCountOnTheirProductsLine) {
  // Two Office 2016 PCs refused for a low count (their own logs), one Windows PC activated; the host log
  // has a request of each.
  std::vector<Record> facts;
  for (int k = 0; k < 2; ++k) {
    const std::string pc = "PC" + std::to_string(k), path = pc + ".evtx";
    facts.push_back(
        office_or_windows(client_request(path, 1, kT0 + k * kMin, pc, "o" + std::to_string(k)), kOffice2016));
    facts.push_back(client_response(path, 2, kT0 + k * kMin + 1000, pc, "0x00000000", "0", "2"));
    facts.push_back(office_or_windows(
        host_request("kms.evtx", k + 1, kT0 + k * kMin, "kms1.contoso.com", pc, "o" + std::to_string(k)), kOffice2016));
  }
  facts.push_back(office_or_windows(client_request("PC9.evtx", 1, kT0, "PC9", "w9"), kWin));
  facts.push_back(client_response("PC9.evtx", 2, kT0 + 1000, "PC9", "0x00000000", "1", "30"));
  facts.push_back(office_or_windows(host_request("kms.evtx", 3, kT0, "kms1.contoso.com", "PC9", "w9"), kWin));
  auto out = correlate_with(
      facts, {input("PC0.evtx", 2), input("PC1.evtx", 2), input("PC9.evtx", 2), input("kms.evtx", 3)}, tables());
  const auto lines = lines_by_id(out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines.at("office2016")->get("failures"), "2");
  EXPECT_EQ(lines.at("windows")->get("failures"), "0");
  EXPECT_EQ(only(out, "kms.host").get("failures"), "2");
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

// Issue 10 item 13: a host named by a client before its own log was read cited the client's file with the
// time of the host's newest 12290. Host evidence cites the host's own record, with that record's time.
TEST(HostSummary, EvidenceCitesTheHostsOwnRecordWithItsOwnTime) {
  auto out = run({client_request("pc1.evtx", 1, kT0 + 5 * kDay, "PC1", "c1", "0x00000000", "kms1.contoso.com"),
                  client_response("pc1.evtx", 2, kT0 + 5 * kDay + kMin, "PC1"),
                  host_request("kms.evtx", 1, kT0, "KMS1.contoso.com", "PC1", "c1"),
                  host_request("kms.evtx", 2, kT0 + 10 * kDay, "KMS1.contoso.com", "PC2", "c2")},
                 {input("pc1.evtx", 2), input("kms.evtx", 2)});
  const Record& host = only(out, "kms.host");
  EXPECT_EQ(host.source.path, "kms.evtx");
  EXPECT_EQ(host.source.position, 1u);
  EXPECT_EQ(host.time_ms, kT0);                 // the cited request's time, not the newest one's
  EXPECT_EQ(host.machine, "KMS1.contoso.com");  // the host's own spelling, not the client's
  for (const Record* line : of_kind(out, "kms.host-line")) {
    EXPECT_EQ(line->source.path, "kms.evtx");
    EXPECT_EQ(line->time_ms, kT0);
  }

  // Without its log, the first attempt naming the host, with that attempt's time.
  auto clients_only = run({client_request("a.evtx", 1, kT0 + kDay, "PC1", "c1", "0x00000000", "kms2.contoso.com"),
                           client_request("b.evtx", 1, kT0 + 3 * kDay, "PC2", "c2", "0x00000000", "kms2.contoso.com")},
                          {input("a.evtx", 1), input("b.evtx", 1)});
  const Record& named = only(clients_only, "kms.host");
  EXPECT_EQ(named.source.path, "a.evtx");
  EXPECT_EQ(named.time_ms, kT0 + kDay);
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

// The room correlation_room() asks for is enough for every record correlate() appends (attempts, states,
// the refused requests' attempts, a kms.cmid per CMID of either side, hosts, lines, inputs, the dataset):
// facts taken with it are not moved. Many host-only CMIDs and few facts is the case that needs the most.
TEST(CorrelationRoom, CorrelationAppendsWithoutMovingTheFacts) {
  correlation::HostRequestLedger ledger;
  std::vector<Record> facts;
  for (uint64_t i = 0; i < 40; ++i)
    ledger.add(host_request("kms.evtx", i + 1, kT0 + static_cast<int64_t>(i) * kMin, "KMS1", "pc" + std::to_string(i),
                            "host-only-" + std::to_string(i), i % 4 ? "0x00000000" : "0xC004F042"),
               1, i);
  for (uint64_t i = 0; i < 3; ++i) {
    facts.push_back(
        client_request("pc.evtx", 2 * i + 1, kT0 + static_cast<int64_t>(i) * kDay, "PC", "c" + std::to_string(i)));
    facts.push_back(client_response("pc.evtx", 2 * i + 2, kT0 + static_cast<int64_t>(i) * kDay + kMin, "PC"));
  }
  for (const Record& f : facts) ledger.note_client_fact(f);
  ledger.seal();
  for (correlation::LedgerRefusal& r : ledger.take_refusals()) facts.push_back(std::move(r.fact));
  const std::vector<InputSummary> inputs = {input("pc.evtx", 6), input("kms.evtx", 40)};
  facts.reserve(facts.size() + correlation_room(facts.size(), ledger, inputs.size()));
  const Record* const before = facts.data();
  const size_t taken = facts.size();
  correlate(facts, ledger, inputs, Knowledge{}, UnreadFacts{});
  EXPECT_GT(facts.size(), taken + 40);  // a kms.cmid per host-only CMID, and more
  EXPECT_EQ(facts.data(), before);
}

}  // namespace
}  // namespace kmsdiag::testing
