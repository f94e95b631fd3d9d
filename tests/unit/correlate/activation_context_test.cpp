// Activation attempts and license states as concepts: the host's refusals become the client's attempts,
// a low count is blamed only when the host said so, and attempts learn their machine's context.
#include <gtest/gtest.h>

#include "correlate/correlator.hpp"
#include "fact_builders.hpp"

namespace kmsdiag::testing {
namespace {

std::vector<Record> run(std::vector<Record> facts, std::vector<InputSummary> inputs) {
  correlate(facts, inputs, Knowledge{});
  return facts;
}

Record with(Record r, std::vector<Field> extra) {
  for (auto& f : extra) r.set(f.key, f.value);
  return r;
}

TEST(BelowThreshold, NotBlamedWhenTheHostRefusedForAnotherReason) {
  // 0xC004F042: the host's key cannot activate the product; it reports count 0 all the same.
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1"),
                  client_response("a.evtx", 2, kT0 + kMin, "PC1", "0xC004F042", "0", "0")},
                 {input("a.evtx", 2)});
  const Record* a = of_kind(out, "activation.attempt").at(0);
  EXPECT_EQ(a->get("hresult"), "0xC004F042");
  EXPECT_EQ(a->get("below_threshold"), "0");
}

TEST(BelowThreshold, BlamedForNotEnoughCountOrItsStatusFlag) {
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1"),
                  client_response("a.evtx", 2, kT0 + kMin, "PC1", "0xC004F038", "0", "4")},
                 {input("a.evtx", 2)});
  EXPECT_EQ(of_kind(out, "activation.attempt").at(0)->get("below_threshold"), "1");

  // An unrelated code, but the status carries SL_VL_BINDING_ERROR_NOT_ENOUGH_COUNT (0x04000000).
  out = run({client_request("a.evtx", 1, kT0, "PC1", "c1"),
             with(client_response("a.evtx", 2, kT0 + kMin, "PC1", "0xC004F074", "0", "4"), {{"status", "0x04000008"}})},
            {input("a.evtx", 2)});
  EXPECT_EQ(of_kind(out, "activation.attempt").at(0)->get("below_threshold"), "1");
}

TEST(HostSideAttempts, RefusalsBecomeTheClientsAttempts) {
  auto out = run({host_request("kms.evtx", 1, kT0, "KMS1", "pc7.contoso.com", "c7", "0xC004F015"),
                  host_request("kms.evtx", 2, kT0 + kMin, "KMS1", "pc8.contoso.com", "c8")},
                 {input("kms.evtx", 2)});
  const auto attempts = of_kind(out, "activation.attempt");
  ASSERT_EQ(attempts.size(), 1u);  // the accepted request is no failed attempt
  EXPECT_EQ(attempts[0]->get("via"), "kms-host-log");
  EXPECT_EQ(attempts[0]->machine, "pc7.contoso.com");
  EXPECT_EQ(attempts[0]->get("kms_host"), "KMS1");
  EXPECT_EQ(attempts[0]->get("hresult"), "0xC004F015");
  EXPECT_EQ(attempts[0]->get("activated"), "0");
  EXPECT_FALSE(attempts[0]->has("client"));
}

TEST(KeyGroups, AHostKeyRefusalNamesTheOldestKeyThatCovers) {
  Knowledge kb;
  ProductInfo p;
  p.act_id = "73111121-5638-40f6-bc11-f1d7b0d64300";
  p.name = "Windows 10/11 Enterprise";
  p.min_key_group = "ws2016";
  kb.products[p.act_id] = p;
  KeyGroup g;
  g.id = "ws2016";
  g.name = "Windows Server 2016 CSVLK";
  kb.key_groups[g.id] = g;
  std::vector<Record> facts{with(host_request("kms.evtx", 1, kT0, "KMS1", "pc7", "c7", "0xC004F015"),
                                 {{"hresult_cause", "host-key-mismatch"}, {"act_id", p.act_id}})};
  correlate(facts, {input("kms.evtx", 1)}, kb);
  const Record* a = of_kind(facts, "activation.attempt").at(0);
  EXPECT_EQ(a->get("min_key_group"), "ws2016");
  EXPECT_EQ(a->get("min_key_group_name"), "Windows Server 2016 CSVLK");
}

TEST(MachineContext, AttemptsLearnHowTheirFolderFindsItsHost) {
  // slmgr /dlv and /ato print no computer name: they are placed by their folder.
  auto state = fact("license.state", "bundle/PC9/dlv.txt", 1, kNoTime, "",
                    {{"via", "slmgr"},
                     {"channel", "VOLUME_KMSCLIENT"},
                     {"kms_host", "kms-old.contoso.com:1688"},
                     {"kms_host_source", "registered"}});
  auto ato = fact("activation.attempt", "bundle/PC9/ato.txt", 1, kNoTime, "",
                  {{"via", "slmgr-ato"}, {"hresult", "0x8007232B"}});
  auto elsewhere = fact("activation.attempt", "bundle/PC10/ato.txt", 1, kNoTime, "",
                        {{"via", "slmgr-ato"}, {"hresult", "0x8007232B"}});
  auto out = run({state, ato, elsewhere},
                 {input("bundle/PC9/dlv.txt", 1), input("bundle/PC9/ato.txt", 1), input("bundle/PC10/ato.txt", 1)});
  const auto attempts = of_kind(out, "activation.attempt");
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0]->get("kms_host_source"), "registered");
  EXPECT_EQ(attempts[0]->get("kms_host"), "kms-old.contoso.com:1688");
  EXPECT_EQ(attempts[0]->get("channel"), "VOLUME_KMSCLIENT");
  EXPECT_FALSE(attempts[1]->has("kms_host_source"));
}

TEST(EchoedAttempts, An8198RightAfterAFailedExchangeIsTheSameAttempt) {
  const auto slui = [](uint64_t pos, int64_t t, const char* machine) {
    return fact("activation.attempt", "a.evtx", pos, t, machine,
                {{"via", "spp-8198"}, {"hresult", "0xC004F038"}, {"activated", "0"}});
  };
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1"),
                  client_response("a.evtx", 2, kT0 + kMin, "PC1", "0xC004F038", "0", "4"),
                  slui(3, kT0 + kMin + 1000, "PC1"),    // the echo: folded into the KMS attempt
                  slui(4, kT0 + 3 * 60 * kMin, "PC1"),  // hours later: an attempt of its own
                  slui(5, kT0 + kMin + 1000, "PC2")},   // another machine
                 {input("a.evtx", 5)});
  const auto attempts = of_kind(out, "activation.attempt");
  ASSERT_EQ(attempts.size(), 3u);
  int kms = 0, slui_left = 0;
  for (const Record* a : attempts) {
    if (a->get("via") == "kms-client-log") {
      ++kms;
      EXPECT_EQ(a->get("seen_by"), "kms-client-log,spp-8198");
    } else {
      ++slui_left;
    }
  }
  EXPECT_EQ(kms, 1);
  EXPECT_EQ(slui_left, 2);
}

TEST(ClientLogStates, TheLatestAttemptGivesTheMachinesState) {
  auto out = run({client_request("a.evtx", 1, kT0, "PC1", "c1"),
                  client_response("a.evtx", 2, kT0 + kMin, "PC1", "0xC004F038", "0", "4"),
                  client_request("b.evtx", 1, kT0, "PC2", "c2"), client_response("b.evtx", 2, kT0 + kMin, "PC2")},
                 {input("a.evtx", 2), input("b.evtx", 2)});
  const auto states = of_kind(out, "license.state");
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[0]->machine, "PC1");
  EXPECT_EQ(states[0]->get("via"), "kms-client-log");
  EXPECT_EQ(states[0]->get("license_status"), "2");  // still in the grace period it asked from
  EXPECT_EQ(states[0]->get("minutes_to_expiry"), "40000");
  EXPECT_EQ(states[1]->get("license_status"), "1");  // the answer activated it: a fresh 180 days
  EXPECT_EQ(states[1]->get("minutes_to_expiry"), "259200");
}

TEST(SupersededStates, ALaterActivationOrStateReplacesAnEarlierOne) {
  const auto state = [](int64_t t, const char* status) {
    return fact("license.state", "app.evtx", 1, t, "PC1",
                {{"via", "spp-8230"}, {"act_id", "a1"}, {"license_status", status}});
  };
  auto out = run({state(kT0, "5"), state(kT0 + kDay, "1"), state(kT0 + 2 * kDay, "1"),
                  fact("license.state", "dlv.txt", 1, kNoTime, "", {{"via", "slmgr"}, {"license_status", "5"}})},
                 {input("app.evtx", 3), input("dlv.txt", 1)});
  const auto states = of_kind(out, "license.state");
  ASSERT_EQ(states.size(), 4u);
  EXPECT_EQ(states[0]->get("superseded"), "1");
  EXPECT_EQ(states[1]->get("superseded"), "1");
  EXPECT_EQ(states[2]->get("superseded"), "0");
  EXPECT_FALSE(states[3]->has("superseded"));  // undated command output is the state at export time

  // A successful activation after the notification state supersedes it.
  out = run({state(kT0, "5"), client_request("app.evtx", 2, kT0 + kMin, "PC1", "c1"),
             client_response("app.evtx", 3, kT0 + 2 * kMin, "PC1")},
            {input("app.evtx", 3)});
  EXPECT_EQ(of_kind(out, "license.state").at(0)->get("superseded"), "1");
}

}  // namespace
}  // namespace kmsdiag::testing
