#include "ingest/event_format_list_reader.hpp"

#include <gtest/gtest.h>

#include "event_text_test_support.hpp"

namespace kmsdiag {
namespace {

using testing::ingest_bytes;
using testing::read_as;

// `Get-WinEvent | Format-List *` trimmed to the properties that matter, as Out-File writes it.
constexpr std::string_view kList =
    "\r\n\r\n"
    "Message              : The client has sent an activation request to the key management service machine.\r\n"
    "                       Info:\r\n"
    "                       0xC004F074, 0x00000000, kms1.contoso.com:1688, d02f0758-43f9-4809-9821-e84edb810cbe, "
    "2024/01/05 09:03, 0, 2, 43200, ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03, 25\r\n"
    "Id                   : 12288\r\n"
    "Qualifiers           : 16384\r\n"
    "Level                : 4\r\n"
    "RecordId             : 812\r\n"
    "ProviderName         : Microsoft-Windows-Security-SPP\r\n"
    "LogName              : Application\r\n"
    "MachineName          : pc01.contoso.com\r\n"
    "TimeCreated          : 1/5/2024 9:03:12 AM\r\n"
    "Properties           : {System.Diagnostics.Eventing.Reader.EventProperty}\r\n"
    "LevelDisplayName     : Information\r\n"
    "\r\n"
    "TimeCreated  : 1/5/2024 9:05:00 AM\r\n"
    "ProviderName : Microsoft-Windows-Security-SPP\r\n"
    "Id           : 903\r\n"
    "Message      : The Software Protection service has stopped.\r\n"
    "\r\n"
    "\r\n";

TEST(EventFormatListReader, BlocksBecomeEvents) {
  const auto out = read_as(event_format_list_format(), kList, "fl.txt");
  ASSERT_EQ(out.problems.size(), 0u) << out.problems[0].describe();
  ASSERT_EQ(out.records.size(), 2u);
  const Record& r = out.records[0];
  EXPECT_EQ(r.get("event_id"), "12288");
  EXPECT_EQ(r.get("level"), "4");
  EXPECT_EQ(r.get("qualifiers"), "16384");
  EXPECT_EQ(r.get("record_id"), "812");
  EXPECT_EQ(r.get("channel"), "Application");
  EXPECT_EQ(r.machine, "pc01.contoso.com");
  EXPECT_EQ(r.time_ms, utc_ms(2024, 1, 5, 9, 3, 12));
  EXPECT_EQ(r.get("time_local"), "1");
  EXPECT_EQ(r.get("data.0").substr(0, 22), "0xC004F074, 0x00000000");
  EXPECT_TRUE(r.get("message").starts_with(
      "The client has sent an activation request to the key management service machine.\nInfo:\n0xC004F074"))
      << r.get("message");
  EXPECT_EQ(r.get("format"), "event-format-list");
  EXPECT_EQ(r.source.position, 3u);
  EXPECT_EQ(out.records[1].get("event_id"), "903");
  EXPECT_EQ(out.records[1].source.position, 17u);
  EXPECT_EQ(out.records[1].get("data.0"), "The Software Protection service has stopped.");
}

TEST(EventFormatListReader, RepeatedPropertyStartsANewBlockAndBadIdIsReported) {
  const std::string text =
      "Id           : 902\nProviderName : SPP\nId           : twelve\nProviderName : SPP\n"
      "Id           : 903\nProviderName : SPP\nTimeCreated  : 31/31/2024 9:00\n";
  const auto out = read_as(event_format_list_format(), text);
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[1].source.position, 5u);
  ASSERT_EQ(out.problems.size(), 2u);
  EXPECT_EQ(out.problems[0].message, "line 3: property block has no numeric Id; skipped");
  EXPECT_NE(out.problems[1].message.find("unreadable date/time"), std::string::npos);
}

TEST(EventFormatListReader, DetectionPicksFormatList) {
  InputSummary summary;
  const auto out = ingest_bytes(kList, summary, "fl.txt");
  EXPECT_EQ(summary.format, "event-format-list");
  EXPECT_EQ(out.records.size(), 2u);
}

}  // namespace
}  // namespace kmsdiag
