// The series and inventory correlate() returns for the HTML report (model/fleet_overview.hpp).
#include <gtest/gtest.h>

#include "correlate/correlation_steps.hpp"
#include "correlate/correlator.hpp"
#include "fact_builders.hpp"

namespace kmsdiag::testing {
namespace {

FleetOverview overview(std::vector<Record> facts, std::vector<InputSummary> inputs) {
  return correlate(facts, inputs, Knowledge{});
}

std::string fmt_code(int n) { return "0xC004F0" + std::string(n < 10 ? "0" : "") + std::to_string(n); }

Record attempt(std::string path, uint64_t pos, int64_t time, std::string machine, std::string hresult,
               std::string activated, std::vector<Field> more = {}) {
  std::vector<Field> fields = {
      {"via", "spp-8198"}, {"hresult", std::move(hresult)}, {"activated", std::move(activated)}};
  fields.insert(fields.end(), more.begin(), more.end());
  return fact("activation.attempt", std::move(path), pos, time, std::move(machine), std::move(fields));
}

TEST(FleetOverview, HostCountPerDayRisesAndFallsWithTheThirtyDayWindow) {
  // One new CMID a day for 5 days, then one more on day 40: by then the first five have aged out.
  std::vector<Record> facts;
  for (int d = 0; d < 5; ++d)
    facts.push_back(
        host_request("kms.evtx", d + 1, kT0 + d * kDay, "KMS1", "PC" + std::to_string(d), "cmid-" + std::to_string(d)));
  facts.push_back(host_request("kms.evtx", 6, kT0 + 40 * kDay, "KMS1", "PC9", "cmid-9"));
  const FleetOverview f = overview(facts, {input("kms.evtx", 6)});
  ASSERT_EQ(f.host_counts.size(), 1u);
  const HostCountSeries& s = f.host_counts[0];
  EXPECT_EQ(s.host, "KMS1");
  EXPECT_EQ(s.threshold, 25);
  EXPECT_EQ(s.buckets.start_ms, utc_ms(2024, 3, 1, 0, 0, 0));
  EXPECT_EQ(s.buckets.bucket_days, 1);
  ASSERT_EQ(s.counts.size(), 41u);
  EXPECT_EQ(s.counts[0], 1u);
  EXPECT_EQ(s.counts[4], 5u);
  EXPECT_EQ(s.counts[29], 5u);  // day 29: every CMID still within 30 days
  EXPECT_EQ(s.counts[30], 5u);  // the first one's window ends at 08:00 on day 30: its highest is still 5
  EXPECT_EQ(s.counts[31], 4u);
  EXPECT_EQ(s.counts[35], 0u);
  EXPECT_EQ(s.counts[40], 1u);
}

TEST(FleetOverview, LongLogsGetWiderBucketsNeverMoreThanTheCap) {
  std::vector<Record> facts = {host_request("kms.evtx", 1, kT0, "KMS1", "PC1", "a"),
                               host_request("kms.evtx", 2, kT0 + 1000 * kDay, "KMS1", "PC2", "b")};
  const FleetOverview f = overview(facts, {input("kms.evtx", 2)});
  ASSERT_EQ(f.host_counts.size(), 1u);
  EXPECT_EQ(f.host_counts[0].buckets.bucket_days, 3);
  EXPECT_LE(f.host_counts[0].counts.size(), kMaxTimelineBuckets);
  EXPECT_EQ(f.host_counts[0].counts.front(), 1u);
  EXPECT_EQ(f.host_counts[0].counts.back(), 1u);
}

TEST(FleetOverview, ClientFailuresByCodeAndDayOtherKindsTogether) {
  std::vector<Record> facts;
  uint64_t pos = 0;
  // Ten codes: 0x...00 fails 11 times, 0x...01 10 times, ...: the two least frequent share "other codes".
  for (int code = 0; code < 10; ++code)
    for (int n = 0; n < 11 - code; ++n)
      facts.push_back(attempt("pc.evtx", ++pos, kT0 + (n % 3) * kDay, "PC1", fmt_code(code), "0"));
  facts.push_back(attempt("pc.evtx", ++pos, kT0, "PC1", "0x00000000", "1"));      // a success: not drawn
  facts.push_back(attempt("pc.evtx", ++pos, kNoTime, "PC1", "0xC004F074", "0"));  // undated: counted apart
  const FleetOverview f = overview(facts, {input("pc.evtx", pos)});
  const FailureTimeline& t = f.failures;
  EXPECT_EQ(t.undated, 1u);
  EXPECT_EQ(t.buckets.count, 3u);
  ASSERT_EQ(t.series.size(), correlation::kMaxFailureKinds + 1);
  EXPECT_EQ(t.series[0].code, fmt_code(0));
  EXPECT_EQ(t.series[0].total, 11u);
  EXPECT_EQ(t.series[0].counts, (std::vector<uint64_t>{4, 4, 3}));
  EXPECT_EQ(t.series.back().code, "other codes");
  EXPECT_EQ(t.series.back().total, 3u + 2u);
}

TEST(FleetOverview, FailuresWithoutACodeAreNamedForWhatHappened) {
  const FleetOverview f = overview({attempt("pc.evtx", 1, kT0, "PC1", "0x00000000", "0", {{"below_threshold", "1"}}),
                                    attempt("pc.evtx", 2, kT0, "PC1", "0x00000000", "0", {{"answered", "0"}})},
                                   {input("pc.evtx", 2)});
  ASSERT_EQ(f.failures.series.size(), 2u);
  EXPECT_EQ(f.failures.series[0].code, "count below threshold");
  EXPECT_EQ(f.failures.series[1].code, "no answer");
}

TEST(FleetOverview, InventoryJoinsCommandOutputToTheMachineItsFolderNames) {
  const std::string act = "73111121-5638-40f6-bc11-f1d7b0d64300";
  Record state = fact("license.state", "bundle/PC1/slmgr-dlv.txt", 1, kNoTime, "",
                      {{"via", "slmgr"},
                       {"act_id", act},
                       {"product_name", "Windows(R), Enterprise edition"},
                       {"license_status_name", "Licensed"},
                       {"channel", "VOLUME_KMSCLIENT"},
                       {"minutes_to_expiry", "259200"},
                       {"cmid", "cmid-1"},
                       {"kms_host", "kms1:1688"}});
  Record success = attempt("bundle/PC1/Application.evtx", 3, kT0, "PC1.contoso.com", "0x00000000", "1",
                           {{"act_id", act}, {"kms_host", "kms2:1688"}});
  Record other = fact("license.state", "bundle/PC2/slmgr-dli.txt", 1, kNoTime, "",
                      {{"via", "slmgr"},
                       {"product_name", "Office 16, Office16ProPlusVL_KMS_Client edition"},
                       {"license_status_name", "Notification"}});
  const FleetOverview f = overview({state, success, other}, {input("a", 1)});
  ASSERT_EQ(f.machines.size(), 2u);
  const MachineProduct& pc1 = f.machines[0];
  EXPECT_EQ(pc1.machine, "PC1.contoso.com");
  EXPECT_EQ(pc1.product, "Windows(R), Enterprise edition");
  EXPECT_EQ(pc1.license, "Licensed");
  EXPECT_EQ(pc1.last_success_ms, kT0);
  EXPECT_EQ(pc1.kms_host, "kms2:1688");  // the attempt's, newer than the slmgr snapshot's
  EXPECT_EQ(pc1.cmid, "cmid-1");
  EXPECT_EQ(pc1.minutes_to_expiry, 259200);
  EXPECT_EQ(pc1.source.path, "bundle/PC1/slmgr-dlv.txt");
  EXPECT_EQ(f.machines[1].machine, "the machine whose output is in bundle/PC2/slmgr-dli.txt");
  EXPECT_EQ(f.machines[1].license, "Notification");
  EXPECT_EQ(f.machines_not_listed, 0u);
}

TEST(FleetOverview, InventoryIsCapped) {
  std::vector<Record> facts;
  for (size_t i = 0; i < correlation::kMaxInventoryRows + 3; ++i)
    facts.push_back(attempt("pc.evtx", i + 1, kT0, "PC" + std::to_string(i), "0xC004F074", "0"));
  const FleetOverview f = overview(facts, {input("pc.evtx", facts.size())});
  EXPECT_EQ(f.machines.size(), correlation::kMaxInventoryRows);
  EXPECT_EQ(f.machines_not_listed, 3u);
}

}  // namespace
}  // namespace kmsdiag::testing
