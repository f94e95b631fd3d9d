// Event interpreters on the real payloads quoted in kms-reference.md and the corpus README, each in the
// layouts an export may use: one comma-joined <Data>, positional <Data>, or only the rendered message.
#include <gtest/gtest.h>

#include "interpret/interpreter.hpp"
#include "knowledge/knowledge.hpp"

namespace kmsdiag {
namespace {

const Knowledge& kb() {
  static const Knowledge k = Knowledge::load(std::string(KMSDIAG_SOURCE_DIR) + "/rules/tables");
  return k;
}

Record event(const std::string& id, const std::string& channel, const std::string& provider,
             const std::vector<std::string>& data, const std::string& message = "") {
  Record r;
  r.kind = "event";
  r.source = {"test.xml", "record", 7, "812"};
  r.time_ms = 1684891271229;
  r.machine = "EC2AMAZ-NEUK2LF";
  r.set("event_id", id);
  r.set("channel", channel);
  r.set("provider", provider);
  for (size_t i = 0; i < data.size(); ++i) r.set("data." + std::to_string(i), data[i]);
  r.set("data_count", std::to_string(data.size()));
  if (!message.empty()) r.set("message", message);
  return r;
}

// The payload split the way a positional export would hold it: Data[0] the whole string, Data[1..] fields.
std::vector<std::string> positional(const std::string& payload, const std::string& sep) {
  std::vector<std::string> out{payload};
  size_t start = 0;
  while (true) {
    const size_t end = payload.find(sep, start);
    out.push_back(payload.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return out;
    start = end + sep.size();
  }
}

struct Outcome {
  std::vector<Record> facts;
  std::map<std::string, uint64_t> ignored;
  bool used = false;
};

Outcome interpret(const Record& in) {
  Interpreter interpreter(kb());
  Outcome run;
  run.used = interpreter.interpret(in, run.facts);
  run.ignored = interpreter.ignored();
  return run;
}

const char* kSpp = "Microsoft-Windows-Security-SPP";
const char* kSlc = "Microsoft-Windows-Security-Licensing-SLC";

// S7 (KB974998): the only real 12290 text; fields separated by "," without spaces, unpadded time.
const std::string kS7Host =
    "0xC004F06C,5,<KMS Client name>,36f27b39-2fd5-440b-be67-a09996d27a38,2010/9/29 21:46,0,2,41520,"
    "68531fb9-5511-4989-97be-d11a0f55633f";

void expect_s7_host(const Outcome& run) {
  ASSERT_TRUE(run.used);
  ASSERT_EQ(run.facts.size(), 1u);
  const Record& f = run.facts[0];
  EXPECT_EQ(f.kind, "kms.host-request");
  EXPECT_EQ(f.machine, "EC2AMAZ-NEUK2LF");
  EXPECT_EQ(f.source.record_id, "812");
  EXPECT_EQ(f.time_ms, 1684891271229);
  EXPECT_EQ(f.get("hresult"), "0xC004F06C");
  EXPECT_EQ(f.get("hresult_symbol"), "SL_E_VL_INVALID_TIMESTAMP");
  EXPECT_EQ(f.get("hresult_cause"), "time-skew");
  EXPECT_EQ(f.get("hresult_kms"), "1");
  EXPECT_FALSE(f.get("hresult_meaning").empty());
  EXPECT_EQ(f.get("n_policy"), "5");
  EXPECT_EQ(f.get("client"), "<KMS Client name>");
  EXPECT_EQ(f.get("cmid"), "36f27b39-2fd5-440b-be67-a09996d27a38");
  EXPECT_EQ(f.get("client_time"), "2010/9/29 21:46");
  EXPECT_EQ(f.get("vm"), "0");
  EXPECT_EQ(f.get("license_status"), "2");
  EXPECT_EQ(f.get("license_status_name"), "Initial grace period");
  EXPECT_EQ(f.get("minutes_to_expiry"), "41520");
  EXPECT_EQ(f.get("act_id"), "68531fb9-5511-4989-97be-d11a0f55633f");
  EXPECT_EQ(f.get("product"), "Windows Server 2008 R2 Standard");
  EXPECT_EQ(f.get("product_family"), "windows-server");
  EXPECT_EQ(f.get("product_n"), "5");
}

TEST(HostRequest12290, SingleJoinedData) {
  expect_s7_host(interpret(event("12290", "Key Management Service", kSlc, {kS7Host})));
}

TEST(HostRequest12290, PositionalDataWithWholeStringFirst) {
  expect_s7_host(interpret(event("12290", "Key Management Service", kSpp, positional(kS7Host, ","))));
}

TEST(HostRequest12290, PositionalDataWithoutWholeString) {
  auto data = positional(kS7Host, ",");
  data.erase(data.begin());
  expect_s7_host(interpret(event("12290", "Key Management Service", "KmsRequests", data)));
}

TEST(HostRequest12290, RenderedMessageOnly) {
  const std::string message = "An activation request has been processed.\r\nInfo:\r\n" + kS7Host + "\r\n";
  expect_s7_host(interpret(event("12290", "Key Management Service", kSlc, {}, message)));
}

TEST(HostRequest12290, AnyProviderInTheKmsChannel) {
  expect_s7_host(interpret(event("12290", "Key Management Service", "", {kS7Host})));
}

TEST(HostRequest12290, TooFewFieldsIsMalformedNotFatal) {
  const Outcome run = interpret(event("12290", "Key Management Service", kSpp, {"0x0,25,pc01"}));
  EXPECT_FALSE(run.used);
  EXPECT_TRUE(run.facts.empty());
  EXPECT_EQ(run.ignored.at("malformed 12290"), 1u);
}

TEST(HostRequest12290, BadHresultIsMalformed) {
  const Outcome run =
      interpret(event("12290", "Key Management Service", kSpp,
                      {"0xZZ,25,pc01,36f27b39-2fd5-440b-be67-a09996d27a38,2024/1/5 9:03,0,1,258000,x"}));
  EXPECT_TRUE(run.facts.empty());
  EXPECT_EQ(run.ignored.at("malformed 12290"), 1u);
}

// S7 client side of the same exchange: ", " separators, padded time.
const std::string kS7Client =
    "0xC004F06C, 0x00000000, <KMS Host FQDN>:1688, 36f27b39-2fd5-440b-be67-a09996d27a38, 2010/09/29 17:52, 0, 2, "
    "41760, 68531fb9-5511-4989-97be-d11a0f55633f, 5";

void expect_s7_client(const Outcome& run) {
  ASSERT_EQ(run.facts.size(), 1u);
  const Record& f = run.facts[0];
  EXPECT_EQ(f.kind, "kms.client-request");
  EXPECT_EQ(f.get("hresult"), "0xC004F06C");
  EXPECT_EQ(f.get("hresult_cause"), "time-skew");
  EXPECT_EQ(f.get("status"), "0x00000000");
  EXPECT_EQ(f.get("kms_host"), "<KMS Host FQDN>:1688");
  EXPECT_EQ(f.get("kms_host_name"), "<KMS Host FQDN>");
  EXPECT_EQ(f.get("kms_port"), "1688");
  EXPECT_EQ(f.get("cmid"), "36f27b39-2fd5-440b-be67-a09996d27a38");
  EXPECT_EQ(f.get("client_time"), "2010/09/29 17:52");
  EXPECT_EQ(f.get("vm"), "0");
  EXPECT_EQ(f.get("license_status_name"), "Initial grace period");
  EXPECT_EQ(f.get("minutes_to_expiry"), "41760");
  EXPECT_EQ(f.get("product"), "Windows Server 2008 R2 Standard");
  EXPECT_EQ(f.get("n_policy"), "5");
}

TEST(ClientRequest12288, SingleJoinedData) {
  expect_s7_client(interpret(event("12288", "Application", kSpp, {kS7Client})));
}

TEST(ClientRequest12288, PositionalData) {
  expect_s7_client(interpret(event("12288", "Application", kSpp, positional(kS7Client, ", "))));
}

TEST(ClientRequest12288, PositionalDataWithoutWholeString) {
  auto data = positional(kS7Client, ", ");
  data.erase(data.begin());
  expect_s7_client(interpret(event("12288", "Application", kSpp, data)));
}

TEST(ClientRequest12288, RenderedMessageOnly) {
  expect_s7_client(interpret(
      event("12288", "Application", kSpp, {},
            "The client has sent an activation request to the key management service machine.\nInfo:\n" + kS7Client)));
}

// S8: Azure VM, WS2019 Datacenter, the N-Policy field left empty after a trailing ", ".
TEST(ClientRequest12288, EmptyTrailingNPolicy) {
  const std::string payload =
      "0xC004F06C, 0x00000000, azkms.core.windows.net:1688, <CMID>, <DateTime>, 1, 5, 0, "
      "34e1ae55-27f8-4950-8877-7a03be5fb181, ";
  for (const auto& data : {std::vector<std::string>{payload}, positional(payload, ", ")}) {
    const Outcome run = interpret(event("12288", "Application", kSpp, data));
    ASSERT_EQ(run.facts.size(), 1u);
    const Record& f = run.facts[0];
    EXPECT_TRUE(f.has("n_policy"));
    EXPECT_EQ(f.get("n_policy"), "");
    EXPECT_EQ(f.get("kms_host_name"), "azkms.core.windows.net");
    EXPECT_EQ(f.get("cmid"), "<CMID>");
    EXPECT_EQ(f.get("vm"), "1");
    EXPECT_EQ(f.get("license_status_name"), "Notification");
    EXPECT_EQ(f.get("product"), "Windows Server 2019 Datacenter");
    EXPECT_EQ(f.get("product_n"), "5");
  }
}

// P5: Office 2010 through OSPP, with the odd "_key.management.server:_1688" host string.
TEST(ClientRequest12288, OfficeOsppSample) {
  const Outcome run =
      interpret(event("12288", "Application", "Office Software Protection Platform Service",
                      {"0x00000000, 0x00000000, _key.management.server:_1688, …-b604-…, 2012/12/04 07:06, 0, 2, 972, "
                       "6f345b60-…, 5"}));
  ASSERT_EQ(run.facts.size(), 1u);
  const Record& f = run.facts[0];
  EXPECT_EQ(f.get("hresult"), "0x00000000");
  EXPECT_FALSE(f.has("hresult_symbol"));
  EXPECT_EQ(f.get("kms_host_name"), "_key.management.server");
  EXPECT_EQ(f.get("kms_port"), "1688");
  EXPECT_EQ(f.get("cmid"), "…-b604-…");
  EXPECT_EQ(f.get("act_id"), "6f345b60-…");
  EXPECT_FALSE(f.has("product"));
}

// The real corpus export (ec2-client-Application.evtx): Data[0] = payload, Data[1] = a hex blob.
TEST(ClientRequest12288, RealCorpusPayloadWithBlob) {
  const Outcome run = interpret(
      event("12288", "Application", kSpp,
            {"0x00000000, 0x00000000, 169.254.169.251:1688, d02f0758-43f9-4809-9821-e84edb810cbe, 2023/05/24 01:21, "
             "1, 5, 0, ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03, 5",
             "00000600D9E26BB27A98E13D888ECA2C7943AD41A9CF1599BECCD2EA20C206EADF6746219060711926FD171FA9F7"}));
  ASSERT_EQ(run.facts.size(), 1u);
  const Record& f = run.facts[0];
  EXPECT_EQ(f.get("kms_host_name"), "169.254.169.251");
  EXPECT_EQ(f.get("cmid"), "d02f0758-43f9-4809-9821-e84edb810cbe");
  EXPECT_EQ(f.get("product"), "Windows Server 2022 Datacenter");
  EXPECT_EQ(f.get("n_policy"), "5");
  EXPECT_EQ(f.get("license_status"), "5");
}

TEST(ClientRequest12288, IPv6HostInBrackets) {
  const Outcome run =
      interpret(event("12288", "Application", kSpp,
                      {"0x0, 0x0, [fe80::1]:1688, 36f27b39-2fd5-440b-be67-a09996d27a38, 1/14/2006 2:30, "
                       "0, 2, 40123, cf67834d-db4a-402c-ab1f-2c134f02b700, 25"}));
  ASSERT_EQ(run.facts.size(), 1u);
  EXPECT_EQ(run.facts[0].get("kms_host_name"), "fe80::1");
  EXPECT_EQ(run.facts[0].get("kms_port"), "1688");
  EXPECT_EQ(run.facts[0].get("client_time"), "1/14/2006 2:30");
  EXPECT_EQ(run.facts[0].get("product_n"), "25");
}

const std::string kCorpusResponse = "0x00000000, 0x00000000, 1, 0, 50, 120, 10080, 2023/05/24 01:21";

void expect_corpus_response(const Outcome& run) {
  ASSERT_EQ(run.facts.size(), 1u);
  const Record& f = run.facts[0];
  EXPECT_EQ(f.kind, "kms.client-response");
  EXPECT_EQ(f.get("hresult"), "0x00000000");
  EXPECT_EQ(f.get("status"), "0x00000000");
  EXPECT_EQ(f.get("activated"), "1");
  EXPECT_EQ(f.get("count"), "50");
  EXPECT_EQ(f.get("activation_interval"), "120");
  EXPECT_EQ(f.get("renewal_interval"), "10080");
  EXPECT_EQ(f.get("client_time"), "2023/05/24 01:21");
}

TEST(ClientResponse12289, RealCorpusPayload) {
  expect_corpus_response(interpret(event("12289", "Application", kSpp, {kCorpusResponse, "0000060050E462392"})));
}

TEST(ClientResponse12289, PositionalData) {
  expect_corpus_response(interpret(event("12289", "Application", kSpp, positional(kCorpusResponse, ", "))));
}

TEST(ClientResponse12289, RenderedMessageOnly) {
  expect_corpus_response(interpret(event("12289", "Application", kSpp, {}, "…\nInfo:\n" + kCorpusResponse)));
}

// S19 example: not activated, count 4 below threshold, status NOT_ENOUGH_COUNT | OTHER_PC, M/d/yyyy time.
TEST(ClientResponse12289, BelowThresholdExample) {
  const Outcome run =
      interpret(event("12289", "Application", kSlc, {"0x0, 0x4000008, 0, 0, 4, 120, 10080, 1/14/2006 2:30"}));
  ASSERT_EQ(run.facts.size(), 1u);
  EXPECT_EQ(run.facts[0].get("status"), "0x04000008");
  EXPECT_EQ(run.facts[0].get("activated"), "0");
  EXPECT_EQ(run.facts[0].get("count"), "4");
}

TEST(ClientResponse12289, MalformedIsCounted) {
  const Outcome run = interpret(event("12289", "Application", kSpp, {"garbage"}));
  EXPECT_TRUE(run.facts.empty());
  EXPECT_EQ(run.ignored.at("malformed 12289"), 1u);
}

// P1: real 8198 XML.
TEST(ActivationFailure8198, RealXmlData) {
  const Outcome run = interpret(event(
      "8198", "Application", kSpp,
      {"hr=0x800704CF",
       "RuleId=31e71c49-8da7-4a2f-ad92-45d98a1c79ba;Action=AutoActivate;AppId=55c92734-d682-4d71-983e-d6ec3f16059f;"
       "SkuId=4de7cb65-cdf1-4de9-8ae8-e3cce27b9f2c;NotificationInterval=1440;Trigger=UserLogon;SessionId=2"}));
  ASSERT_EQ(run.facts.size(), 1u);
  const Record& f = run.facts[0];
  EXPECT_EQ(f.kind, "activation.attempt");
  EXPECT_EQ(f.get("via"), "spp-8198");
  EXPECT_EQ(f.get("activated"), "0");
  EXPECT_EQ(f.get("hresult"), "0x800704CF");
  EXPECT_EQ(f.get("hresult_cause"), "online-activation-failed");
  EXPECT_EQ(f.get("hresult_kms"), "0");
  EXPECT_EQ(f.get("app_id"), "55c92734-d682-4d71-983e-d6ec3f16059f");
  EXPECT_EQ(f.get("act_id"), "4de7cb65-cdf1-4de9-8ae8-e3cce27b9f2c");
  EXPECT_EQ(f.get("action"), "AutoActivate");
  EXPECT_EQ(f.get("trigger"), "UserLogon");
}

// P2: rendered message only; the SKU is a known Windows client product here.
TEST(ActivationFailure8198, RenderedMessageOnly) {
  const Outcome run = interpret(event(
      "8198", "Application", kSpp, {},
      "License Activation (slui.exe) failed with the following error code:\nhr=0xC004F074\nCommand-line arguments:\n"
      "RuleId=31e71c49-8da7-4a2f-ad92-45d98a1c79ba;Action=AutoActivate;AppId=55c92734-d682-4d71-983e-d6ec3f16059f;"
      "SkuId=2de67392-b7a7-462a-b1ca-108dd189f588;NotificationInterval=1440;Trigger=NetworkAvailable;SessionId=1\n"));
  ASSERT_EQ(run.facts.size(), 1u);
  const Record& f = run.facts[0];
  EXPECT_EQ(f.get("hresult"), "0xC004F074");
  EXPECT_EQ(f.get("hresult_cause"), "host-unreachable");
  EXPECT_EQ(f.get("trigger"), "NetworkAvailable");
  EXPECT_EQ(f.get("product"), "Windows 10/11 Pro");
  EXPECT_EQ(f.get("product_n"), "25");
}

TEST(ActivationFailure8198, NoCodeIsMalformed) {
  const Outcome run = interpret(event("8198", "Application", kSpp, {"RuleId=x"}));
  EXPECT_TRUE(run.facts.empty());
  EXPECT_EQ(run.ignored.at("malformed 8198"), 1u);
}

// S9 (KB2553863): 12293 with 0x80072338; Data P1 = HRESULT, P2 = domain.
TEST(DnsPublish12293, DataLayout) {
  const Outcome run = interpret(event("12293", "Application", kSpp, {"0x80072338", "contoso.com"}));
  ASSERT_EQ(run.facts.size(), 1u);
  const Record& f = run.facts[0];
  EXPECT_EQ(f.kind, "kms.dns-publish");
  EXPECT_EQ(f.get("outcome"), "failed");
  EXPECT_EQ(f.get("hresult"), "0x80072338");
  EXPECT_EQ(f.get("hresult_cause"), "dns-publish-failed");
  EXPECT_EQ(f.get("domain"), "contoso.com");
}

TEST(DnsPublish12293, RenderedMessageOnly) {
  const Outcome run = interpret(event(
      "12293", "Application", "Security-SPP", {},
      "Publishing the Key Managment Service (KMS) to DNS in the `contoso.com` domain failed.\nInfo:  0x80072338\n\n"
      "0x80072338: DNS_ERROR RCODE_BADSIG\nDNS signature failed to verify."));
  ASSERT_EQ(run.facts.size(), 1u);
  EXPECT_EQ(run.facts[0].get("hresult"), "0x80072338");
  EXPECT_EQ(run.facts[0].get("domain"), "contoso.com");
}

TEST(DnsPublish12294, Succeeded) {
  const Outcome run = interpret(event("12294", "Application", kSpp, {"contoso.com"}));
  ASSERT_EQ(run.facts.size(), 1u);
  EXPECT_EQ(run.facts[0].get("outcome"), "succeeded");
  EXPECT_EQ(run.facts[0].get("hresult"), "0x00000000");
  EXPECT_EQ(run.facts[0].get("domain"), "contoso.com");
  const Outcome from_message = interpret(
      event("12294", "Application", kSpp, {},
            "Publishing the Key Management Service (KMS) to DNS in the 'corp.example' domain is successful."));
  ASSERT_EQ(from_message.facts.size(), 1u);
  EXPECT_EQ(from_message.facts[0].get("domain"), "corp.example");
}

TEST(SppService, StartStopAndVersion) {
  const Outcome started = interpret(event("902", "Application", kSpp, {"10.0.22621.2428"}));
  ASSERT_EQ(started.facts.size(), 1u);
  EXPECT_EQ(started.facts[0].kind, "spp.service");
  EXPECT_EQ(started.facts[0].get("state"), "started");
  EXPECT_EQ(started.facts[0].get("version"), "10.0.22621.2428");
  const Outcome starting = interpret(event("900", "Application", kSpp, {"<explicit>"}));
  EXPECT_EQ(starting.facts.at(0).get("state"), "starting");
  EXPECT_EQ(starting.facts.at(0).get("version"), "");
  EXPECT_EQ(interpret(event("903", "Application", kSpp, {})).facts.at(0).get("state"), "stopped");
}

// Real 8230 from the corpus export.
TEST(LicenseState8230, RealStateData) {
  const Outcome run = interpret(event(
      "8230", "Application", kSpp,
      {"Security-SPP-Action-StateData (REG_SZ) =AppId=55c92734-d682-4d71-983e-d6ec3f16059f;"
       "GraceEndDate=2023/11/20:01:21:13;LastConsumptionReason=0x00000000;LastNotificationId=VolumeRenewalRequired;"
       "LicenseState=SL_LICENSING_STATUS_LICENSED;PartialProductKey=6VM33;ProductKeyType=Volume:GVLK;"
       "SkuId=ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03;ruleId=502ff3ba-669a-4674-bbb1-601f34a3b968;"
       "uxDifferentiator=ENVIRONMENT;volumeActivationOrder=normal"}));
  ASSERT_EQ(run.facts.size(), 1u);
  const Record& f = run.facts[0];
  EXPECT_EQ(f.kind, "license.state");
  EXPECT_EQ(f.get("via"), "spp-8230");
  EXPECT_EQ(f.get("product"), "Windows Server 2022 Datacenter");
  EXPECT_EQ(f.get("license_status"), "1");
  EXPECT_EQ(f.get("license_status_name"), "Licensed");
  EXPECT_EQ(f.get("partial_key"), "6VM33");
  EXPECT_EQ(f.get("product_key_type"), "Volume:GVLK");
  EXPECT_FALSE(f.has("hresult"));  // a clean last evaluation names no error
  EXPECT_EQ(f.get("grace_end"), "2023-11-20T01:21:13Z");
}

TEST(LicenseState8230, OtherVariantsAreIgnored) {
  const Outcome run = interpret(event("8230", "Application", kSpp, {"something else"}));
  EXPECT_TRUE(run.facts.empty());
  EXPECT_EQ(run.ignored.at("Application 8230"), 1u);
}

// P3: 16384, restart of sppsvc scheduled.
TEST(RestartScheduled16384, RealData) {
  const Outcome run = interpret(event("16384", "Application", kSpp, {"2018-03-06T15:17:47Z", "RulesEngine"}));
  ASSERT_EQ(run.facts.size(), 1u);
  EXPECT_EQ(run.facts[0].kind, "spp.restart-scheduled");
  EXPECT_EQ(run.facts[0].get("restart_time"), "2018-03-06T15:17:47Z");
  EXPECT_EQ(run.facts[0].get("reason"), "RulesEngine");
}

TEST(Adba12308, ActivationObject) {
  const Outcome run =
      interpret(event("12308", "Application", kSpp,
                      {"73111121-5638-40F6-BC11-F1D7B0D64300", "Win-AO",
                       "CN=Win-AO,CN=Activation Objects,CN=Microsoft SPP,CN=Services,CN=Configuration"}));
  ASSERT_EQ(run.facts.size(), 1u);
  EXPECT_EQ(run.facts[0].kind, "adba.activation");
  EXPECT_EQ(run.facts[0].get("act_id"), "73111121-5638-40f6-bc11-f1d7b0d64300");
  EXPECT_EQ(run.facts[0].get("product"), "Windows 10/11 Enterprise");
  EXPECT_EQ(run.facts[0].get("ao_name"), "Win-AO");
}

TEST(Dispatch, UnknownEventsAndForeignProvidersAreCounted) {
  Interpreter interpreter(kb());
  std::vector<Record> out;
  EXPECT_FALSE(interpreter.interpret(event("1033", "Application", kSpp, {"x"}), out));
  EXPECT_FALSE(interpreter.interpret(event("1033", "Application", kSpp, {"x"}), out));
  EXPECT_FALSE(interpreter.interpret(event("12288", "Application", "Microsoft-Windows-WMI", {kS7Client}), out));
  EXPECT_FALSE(interpreter.interpret(event("7", "", "SomeProvider", {}), out));
  Record other;
  other.kind = "slmgr-text";
  EXPECT_FALSE(interpreter.interpret(other, out));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(interpreter.ignored().at("Application 1033"), 2u);
  EXPECT_EQ(interpreter.ignored().at("Application 12288"), 1u);
  EXPECT_EQ(interpreter.ignored().at("SomeProvider 7"), 1u);
  EXPECT_EQ(interpreter.ignored().at("slmgr-text"), 1u);
}

TEST(Dispatch, CommandRecordsGoToTheCommandInterpreter) {
  Interpreter interpreter(kb());
  std::vector<Record> out;
  Record cmd;
  cmd.kind = "cmd.unknown-tool";
  // Whatever the command interpreter makes of it, an unusable command record is only counted.
  const bool used = interpreter.interpret(cmd, out);
  EXPECT_EQ(used, !out.empty());
  EXPECT_EQ(interpreter.ignored().count("cmd.unknown-tool"), used ? 0u : 1u);
  EXPECT_EQ(interpreter.ignored().count(" "), 0u);  // never treated as an event
}

}  // namespace
}  // namespace kmsdiag

namespace kmsdiag {
namespace {

// Hostile payloads for every handled id: never a crash or exception, at most a fact or a count.
TEST(Dispatch, GarbageNeverThrows) {
  const std::vector<std::vector<std::string>> payloads = {{},
                                                          {""},
                                                          {",,,,,,,,,,"},
                                                          {"0x0"},
                                                          {"0x0", "", "", "", "", "", "", "", "", ""},
                                                          {"hr=", ";;=;="},
                                                          {std::string(100000, ',')},
                                                          {"0x0,,,,,,,,", "x"},
                                                          {"\xff\xfe", "\x00"}};
  Interpreter interpreter(kb());
  std::vector<Record> out;
  size_t seen = 0, used = 0;
  for (const char* id :
       {"12288", "12289", "12290", "12293", "12294", "8198", "900", "902", "903", "8230", "16384", "12308"}) {
    for (const auto& data : payloads) {
      for (const std::string& message : {std::string(), std::string("Info:"), std::string("x\nInfo:\n,,,\n")}) {
        EXPECT_NO_THROW(used += interpreter.interpret(event(id, "Key Management Service", "", data, message), out));
        ++seen;
      }
    }
  }
  uint64_t counted = 0;
  for (const auto& [key, n] : interpreter.ignored()) counted += n;
  EXPECT_EQ(counted + used, seen);  // each record either yields facts or is counted, exactly once
  EXPECT_GT(counted, 0u);
}

}  // namespace
}  // namespace kmsdiag
