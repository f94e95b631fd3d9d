#include "ingest/ospp_reader.hpp"
#include "command_output_test_support.hpp"

namespace kmsdiag::testing {
namespace {

TEST(OsppReader, DstatusTwoProducts) {
  const Collected c = ingest_fixture("ospp-dstatus.txt", "ospp-text");
  ASSERT_EQ(c.records.size(), 2u);
  const Record& a = c.records[0];
  EXPECT_EQ(a.kind, "cmd.ospp");
  EXPECT_EQ(a.source.position, 6u);
  EXPECT_EQ(a.get("act_id"), "d450596f-894d-49e0-966a-fd39ed4c4c64");
  EXPECT_EQ(a.get("license_status"), "1");
  EXPECT_EQ(a.get("partial_key"), "WFG99");
  EXPECT_EQ(a.get("kms_dns_name"), "kms.vircloud.net:1688");
  EXPECT_EQ(a.get("host_caching"), "1");
  EXPECT_EQ(a.get("activation_type"), "all");
  EXPECT_EQ(a.get("command"), "dstatus");
  const Record& b = c.records[1];
  EXPECT_EQ(b.get("license_status"), "5");
  EXPECT_EQ(b.get("error_code"), "0xC004F074");
  EXPECT_EQ(b.get("kms_name_available"), "0");
}

TEST(OsppReader, ActTranscript) {
  const std::string text =
      "---Processing--------------------------\n---------------------------------------\n"
      "Installed product key detected - attempting to activate the following product:\n"
      "SKU ID: d450596f-894d-49e0-966a-fd39ed4c4c64\n"
      "LICENSE NAME: Office 16, Office16ProPlusVL_KMS_Client edition\n"
      "LICENSE DESCRIPTION: Office 16, VOLUME_KMSCLIENT channel\n"
      "Last 5 characters of installed product key: WFG99\n<Product activation successful>\n"
      "---------------------------------------\n---Exiting-----------------------------\n";
  const Collected c = ingest_fixture("act.txt", "ospp-text", text);
  ASSERT_EQ(c.records.size(), 1u);
  EXPECT_EQ(c.records[0].get("command"), "act");
  EXPECT_EQ(c.records[0].get("activation_result"), "ok");
}

}  // namespace
}  // namespace kmsdiag::testing
