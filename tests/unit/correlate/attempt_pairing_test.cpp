#include <gtest/gtest.h>

#include "correlate/correlator.hpp"
#include "fact_builders.hpp"

namespace kmsdiag::testing {
namespace {

std::vector<Record> run(std::vector<Record> facts, std::vector<InputSummary> inputs, const Knowledge& kb = {}) {
  correlate(facts, inputs, kb);
  return facts;
}

TEST(AttemptPairing, PairsRequestWithResponseWithinFiveMinutes) {
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1"),
                  client_response("a.evtx", 2, kT0 + 4 * kMin, "PC1", "0x00000000", "1", "31")},
                 {input("a.evtx", 2)});
  auto attempts = of_kind(out, "activation.attempt");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0]->get("answered"), "1");
  EXPECT_EQ(attempts[0]->get("activated"), "1");
  EXPECT_EQ(attempts[0]->get("count"), "31");
  EXPECT_EQ(attempts[0]->get("below_threshold"), "0");
  EXPECT_EQ(attempts[0]->source.position, 1u);
  EXPECT_EQ(attempts[0]->machine, "PC1");
}

TEST(AttemptPairing, SameSecondNewestFirstExportStillPairs) {
  // Event Viewer CSV: whole seconds, newest first, so the answer comes before its request in the file.
  auto out = run(
      {client_response("a.csv", 1, kT0, "PC1", "0x00000000", "0", "13"), client_request("a.csv", 2, kT0, "PC1", "c1")},
      {input("a.csv", 2, "event-csv")});
  auto attempts = of_kind(out, "activation.attempt");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0]->get("answered"), "1");
  EXPECT_EQ(attempts[0]->get("count"), "13");
}

TEST(AttemptPairing, ResponseAfterWindowLeavesRequestUnanswered) {
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1", "0xC004F074"),
                  client_response("a.evtx", 2, kT0 + 5 * kMin + 1000, "PC1")},
                 {input("a.evtx", 2)});
  auto attempts = of_kind(out, "activation.attempt");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0]->get("answered"), "0");
  EXPECT_EQ(attempts[0]->get("activated"), "0");
  EXPECT_EQ(attempts[0]->get("response_hresult"), "");
  EXPECT_EQ(attempts[0]->get("hresult"), "0xC004F074");
}

TEST(AttemptPairing, NeverPairsAcrossMachinesOrFiles) {
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1"), client_response("a.evtx", 2, kT0 + kMin, "PC2"),
                  client_response("b.evtx", 1, kT0 + kMin, "PC1")},
                 {input("a.evtx", 2), input("b.evtx", 1)});
  auto attempts = of_kind(out, "activation.attempt");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0]->get("answered"), "0");
}

TEST(AttemptPairing, SecondRequestBeforeAnyResponseLeavesFirstUnanswered) {
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1"), client_request("a.evtx", 2, kT0 + kMin, "PC1", "c1"),
                  client_response("a.evtx", 3, kT0 + 2 * kMin, "PC1")},
                 {input("a.evtx", 3)});
  auto attempts = of_kind(out, "activation.attempt");
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0]->get("answered"), "0");
  EXPECT_EQ(attempts[1]->get("answered"), "1");
}

TEST(AttemptPairing, ResponseErrorTakesPrecedenceWithItsEnrichment) {
  Record response = client_response("a.evtx", 2, kT0 + kMin, "PC1", "0xC004F038", "0", "3");
  response.set("hresult_symbol", "SL_E_VL_NOT_ENOUGH_COUNT");
  response.set("hresult_cause", "below-threshold");
  response.set("hresult_kms", "1");
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1"), response}, {input("a.evtx", 2)});
  const Record* a = of_kind(out, "activation.attempt").at(0);
  EXPECT_EQ(a->get("request_hresult"), "0x00000000");
  EXPECT_EQ(a->get("response_hresult"), "0xC004F038");
  EXPECT_EQ(a->get("hresult"), "0xC004F038");
  EXPECT_EQ(a->get("hresult_symbol"), "SL_E_VL_NOT_ENOUGH_COUNT");
  EXPECT_EQ(a->get("hresult_cause"), "below-threshold");
  EXPECT_EQ(a->get("below_threshold"), "1");
}

TEST(AttemptPairing, CleanResponseKeepsRequestError) {
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1", "0xC004F06C"),
                  client_response("a.evtx", 2, kT0 + kMin, "PC1", "0x00000000", "0", "60")},
                 {input("a.evtx", 2)});
  const Record* a = of_kind(out, "activation.attempt").at(0);
  EXPECT_EQ(a->get("hresult"), "0xC004F06C");
  EXPECT_EQ(a->get("below_threshold"), "0");  // count 60 >= 25: not a threshold problem
}

TEST(AttemptPairing, NPolicyFallsBackToProductTable) {
  Knowledge kb;
  ProductInfo p;
  p.act_id = "73111121-5638-40f6-bc11-f1d7b0d64300";
  p.name = "Windows 10/11 Enterprise";
  p.family = "windows-client";
  p.n_policy = 25;
  kb.products[p.act_id] = p;
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1", "0x00000000", "kms1", ""),
                  client_response("a.evtx", 2, kT0 + kMin, "PC1", "0x00000000", "0", "7")},
                 {input("a.evtx", 2)}, kb);
  const Record* a = of_kind(out, "activation.attempt").at(0);
  EXPECT_EQ(a->get("n_policy"), "25");
  EXPECT_EQ(a->get("below_threshold"), "1");
}

TEST(AttemptPairing, UnknownPolicyIsNeverBelowThreshold) {
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1", "0x00000000", "kms1", ""),
                  client_response("a.evtx", 2, kT0 + kMin, "PC1", "0x00000000", "0", "7")},
                 {input("a.evtx", 2)});
  const Record* a = of_kind(out, "activation.attempt").at(0);
  EXPECT_EQ(a->get("n_policy"), "");
  EXPECT_EQ(a->get("below_threshold"), "0");
}

TEST(HostSeen, UnknownWithoutHostLog) {
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1")}, {input("a.evtx", 1)});
  EXPECT_EQ(of_kind(out, "activation.attempt").at(0)->get("host_seen"), "unknown");
}

TEST(HostSeen, ZeroWhenHostLogLacksTheCmidInWindow) {
  // The host log is recognised by its name even though it holds no 12290 at all.
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1")},
                 {input("a.evtx", 1), input("logs/Key Management Service.evtx", 0)});
  EXPECT_EQ(of_kind(out, "activation.attempt").at(0)->get("host_seen"), "0");

  out = run({client_request("a.evtx", 1, kT0, "PC1", "c1"),
             host_request("kms.evtx", 1, kT0 + 11 * kMin, "KMS1", "PC1", "c1")},
            {input("a.evtx", 1), input("kms.evtx", 1)});
  EXPECT_EQ(of_kind(out, "activation.attempt").at(0)->get("host_seen"), "0");
}

TEST(HostSeen, OneWhenHostLoggedTheCmidWithinTenMinutesEitherSide) {
  auto out = run(
      {client_request("a.evtx", 1, kT0, "PC1", "C1"), host_request("kms.evtx", 1, kT0 - 9 * kMin, "KMS1", "PC1", "c1")},
      {input("a.evtx", 1), input("kms.evtx", 1)});
  EXPECT_EQ(of_kind(out, "activation.attempt").at(0)->get("host_seen"), "1");
}

}  // namespace
}  // namespace kmsdiag::testing
