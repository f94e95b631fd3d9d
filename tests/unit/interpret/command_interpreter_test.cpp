#include <gtest/gtest.h>

#include "interpret/command_facts.hpp"
#include "interpret/command_interpreter.hpp"
#include "knowledge/knowledge.hpp"

namespace kmsdiag {
namespace {

const Knowledge& kb() {
  static const Knowledge k = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  return k;
}

Record cmd(std::string kind, std::vector<Field> fields) {
  Record r;
  r.kind = std::move(kind);
  r.source = SourceRef{"slmgr.txt", "line", 3, ""};
  for (const Field& f : fields) r.fields.push_back(f);
  return r;
}

std::vector<Record> interpret(const Record& r) {
  std::vector<Record> out;
  EXPECT_TRUE(interpret_command(r, kb(), out));
  return out;
}

TEST(CommandInterpreter, NeverActivatedClient) {
  const auto facts =
      interpret(cmd("cmd.slmgr", {{"block", "product"},
                                  {"name", "Windows(R), ServerStandard edition"},
                                  {"description", "Windows(R) Operating System, VOLUME_KMSCLIENT channel"},
                                  {"act_id", "de32eafd-aaee-4662-9444-c1befb41bde2"},
                                  {"license_status", "5"},
                                  {"notification_reason", "0xC004F056"},
                                  {"kms_name_available", "0"}}));
  ASSERT_EQ(facts.size(), 1u);
  const Record& f = facts[0];
  EXPECT_EQ(f.kind, "license.state");
  EXPECT_EQ(f.get("via"), "slmgr");
  EXPECT_EQ(f.source.position, 3u);
  EXPECT_EQ(f.get("channel"), "VOLUME_KMSCLIENT");
  EXPECT_EQ(f.get("license_status_name"), "Notification");
  EXPECT_EQ(f.get("hresult"), "0xC004F056");
  EXPECT_EQ(f.get("hresult_cause"), "never-activated");
  EXPECT_EQ(f.get("act_id"), "de32eafd-aaee-4662-9444-c1befb41bde2");
  EXPECT_EQ(f.get("kms_host_source"), "none");
}

TEST(CommandInterpreter, ClientWithDnsHostAndExpiry) {
  const auto facts =
      interpret(cmd("cmd.slmgr", {{"block", "product"},
                                  {"description", "Windows(R) Operating System, VOLUME-KMSCLIENT channel"},
                                  {"license_status", "1"},
                                  {"volume_expiration", "259197 分钟(180天）"},
                                  {"cmid", "3a1f7c55-0c8b-4b7c-8f6e-2f0e5a9b1c44"},
                                  {"kms_dns_name", "kms.vircloud.net:1688"},
                                  {"renewal_interval", "10080 分钟"}}));
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].get("channel"), "VOLUME_KMSCLIENT");
  EXPECT_EQ(facts[0].get("minutes_to_expiry"), "259197");
  EXPECT_EQ(facts[0].get("kms_host"), "kms.vircloud.net:1688");
  EXPECT_EQ(facts[0].get("kms_host_source"), "dns");
  EXPECT_EQ(facts[0].get("renewal_interval"), "10080");
  EXPECT_FALSE(facts[0].has("hresult"));
}

TEST(CommandInterpreter, HostState) {
  const auto facts = interpret(cmd("cmd.slmgr", {{"block", "kms-host"},
                                                 {"description", "Microsoft Office 2010 KMS, VOLUME_KMS channel"},
                                                 {"license_status", "0"},
                                                 {"current_count", "3"},
                                                 {"port", "1688"},
                                                 {"dns_publishing", "0"}}));
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].kind, "kms.host-state");
  EXPECT_EQ(facts[0].get("channel"), "VOLUME_KMS");
  EXPECT_EQ(facts[0].get("license_status_name"), "Unlicensed");
  EXPECT_EQ(facts[0].get("current_count"), "3");
  EXPECT_EQ(facts[0].get("dns_publishing"), "0");
}

TEST(CommandInterpreter, AtoFailureIsEnriched) {
  const auto facts =
      interpret(cmd("cmd.slmgr-ato", {{"product", "Windows(R), ServerStandard edition"},
                                      {"act_id", "de32eafd-aaee-4662-9444-c1befb41bde2"},
                                      {"hresult", "0xC004F074"},
                                      {"message", "No Key Management Service (KMS) could be contacted."}}));
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].kind, "activation.attempt");
  EXPECT_EQ(facts[0].get("via"), "slmgr-ato");
  EXPECT_EQ(facts[0].get("hresult_cause"), "host-unreachable");
  EXPECT_EQ(facts[0].get("hresult_known"), "1");
  EXPECT_EQ(facts[0].get("product"), "Windows Server 2019 Standard");
  EXPECT_EQ(facts[0].get("activated"), "0");
}

TEST(CommandInterpreter, OsppErrorGivesStateAndResult) {
  const auto facts = interpret(cmd("cmd.ospp", {{"name", "Office 19, Office19ProPlus2019VL_KMS_Client_AE edition"},
                                                {"description", "Office 19, VOLUME_KMSCLIENT channel"},
                                                {"license_status", "5"},
                                                {"error_code", "0xC004F074"},
                                                {"remaining_grace", "180 days  (259200 minute(s) before expiring)"}}));
  ASSERT_EQ(facts.size(), 2u);
  EXPECT_EQ(facts[0].kind, "license.state");
  EXPECT_EQ(facts[0].get("via"), "ospp");
  EXPECT_EQ(facts[0].get("minutes_to_expiry"), "259200");
  EXPECT_EQ(facts[1].kind, "activation.attempt");
  EXPECT_EQ(facts[1].get("via"), "ospp-act");
  EXPECT_EQ(facts[1].get("product_name"), "Office 19, Office19ProPlus2019VL_KMS_Client_AE edition");
  EXPECT_EQ(facts[1].get("hresult"), "0xC004F074");
}

TEST(CommandInterpreter, UnknownAtoCodeIsMarkedUnrecognised) {
  const auto facts =
      interpret(cmd("cmd.slmgr-ato", {{"product", "Windows(R), Enterprise edition"}, {"hresult", "0xC004DEAD"}}));
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].get("hresult_known"), "0");
  EXPECT_FALSE(facts[0].has("hresult_cause"));
}

TEST(CommandInterpreter, SuccessfulAtoHasNoErrorEnrichment) {
  const auto facts =
      interpret(cmd("cmd.slmgr-ato", {{"product", "Windows(R), Enterprise edition"}, {"hresult", "0x00000000"}}));
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].get("activated"), "1");
  EXPECT_FALSE(facts[0].has("hresult_known"));
}

TEST(CommandInterpreter, SrvLookup) {
  const auto facts = interpret(cmd("cmd.srv-lookup", {{"format", "nslookup-srv"},
                                                      {"query", "_vlmcs._tcp.corp.example"},
                                                      {"domain", "corp.example"},
                                                      {"status", "nxdomain"},
                                                      {"count", "0"}}));
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].kind, "dns.srv-lookup");
  EXPECT_EQ(facts[0].get("status"), "nxdomain");
  EXPECT_EQ(facts[0].get("tool"), "nslookup-srv");
}

TEST(CommandInterpreter, ChannelOf) {
  EXPECT_EQ(channel_of("Windows(R) Operating System, RETAIL channel"), "RETAIL");
  EXPECT_EQ(channel_of("Office 16, VOLUME_KMS channel"), "VOLUME_KMS");
  EXPECT_EQ(channel_of("channel"), "");
  EXPECT_EQ(channel_of(""), "");
}

TEST(CommandInterpreter, UnrelatedRecordIgnored) {
  std::vector<Record> out;
  EXPECT_FALSE(interpret_command(cmd("event", {}), kb(), out));
  EXPECT_FALSE(interpret_command(cmd("cmd.slmgr", {{"block", "product"}}), kb(), out));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace kmsdiag
