#include "ingest/event_csv_reader.hpp"

#include <gtest/gtest.h>

#include "event_text_test_support.hpp"
#include "ingest/event_tsv_reader.hpp"

namespace kmsdiag {
namespace {

using testing::Collected;
using testing::encode;
using testing::ingest_bytes;
using testing::read_as;

constexpr std::string_view kPayload12290 =
    "0x0,25,pc01.contoso.com,36f27b39-2fd5-440b-be67-a09996d27a38,2024/1/5 9:03,0,1,258000,"
    "68531fb9-5511-4989-97be-d11a0f55633f";

// Event Viewer "Save as CSV": five named columns, the description as an unnamed sixth.
std::string viewer_csv() {
  return std::string("Level,Date and Time,Source,Event ID,Task Category\r\n") +
         "Information,1/5/2024 9:03:12 AM,Microsoft-Windows-Security-SPP,12290,None,\"An activation request has been "
         "processed.\r\nInfo:\r\n" +
         std::string(kPayload12290) +
         "\"\r\n"
         "Error,1/5/2024 2:10:00 PM,Microsoft-Windows-Security-SPP,8198,None,\"License Activation (slui.exe) failed, "
         "\"\"quoted\"\".\r\nhr=0xC004F074\"\r\n";
}

TEST(EventCsvReader, ViewerCsvRowsBecomeEvents) {
  const Collected out = read_as(event_csv_format(), viewer_csv());
  ASSERT_EQ(out.problems.size(), 0u) << out.problems[0].describe();
  ASSERT_EQ(out.records.size(), 2u);
  const Record& r = out.records[0];
  EXPECT_EQ(r.kind, "event");
  EXPECT_EQ(r.get("event_id"), "12290");
  EXPECT_EQ(r.get("provider"), "Microsoft-Windows-Security-SPP");
  EXPECT_EQ(r.get("level"), "4");
  EXPECT_EQ(r.get("data.0"), kPayload12290);
  EXPECT_EQ(r.get("data_count"), "1");
  EXPECT_EQ(r.get("format"), "event-csv");
  EXPECT_EQ(r.get("time_local"), "1");
  EXPECT_EQ(r.time_ms, utc_ms(2024, 1, 5, 9, 3, 12));
  EXPECT_NE(r.get("message").find("An activation request has been processed."), std::string_view::npos);
  EXPECT_EQ(r.source.unit, "line");
  EXPECT_EQ(r.source.position, 2u);
  const Record& e = out.records[1];
  EXPECT_EQ(e.source.position, 5u);  // the first row spans lines 2-4
  EXPECT_EQ(e.get("level"), "2");
  EXPECT_EQ(e.time_ms, utc_ms(2024, 1, 5, 14, 10, 0));
  EXPECT_EQ(e.get("data.0"), "hr=0xC004F074");  // no "Info:": the last non-empty line
  EXPECT_NE(e.get("message").find("failed, \"quoted\"."), std::string_view::npos);
}

TEST(EventCsvReader, ExportCsvFromGetWinEvent) {
  const std::string text =
      "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\n"
      "\"Message\",\"Id\",\"Version\",\"Qualifiers\",\"Level\",\"RecordId\",\"ProviderName\",\"LogName\","
      "\"MachineName\",\"TimeCreated\",\"Properties\",\"LevelDisplayName\"\n"
      "\"The client has sent an activation request to the key management service machine.\nInfo:\n0x0, 0x0, "
      "kms1.contoso.com:1688, d02f0758-43f9-4809-9821-e84edb810cbe, 2024/01/05 09:03, 1, 5, 0, "
      "ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03, 5\",\"12288\",\"0\",\"16384\",\"4\",\"812\","
      "\"Microsoft-Windows-Security-SPP\",\"Application\",\"pc01.contoso.com\",\"2024-01-05 09:03:12\","
      "\"System.Collections.Generic.List`1[System.Diagnostics.Eventing.Reader.EventProperty]\",\"Information\"\n";
  const Collected out = read_as(event_csv_format(), text);
  ASSERT_EQ(out.records.size(), 1u);
  const Record& r = out.records[0];
  EXPECT_EQ(r.get("event_id"), "12288");
  EXPECT_EQ(r.get("channel"), "Application");
  EXPECT_EQ(r.get("record_id"), "812");
  EXPECT_EQ(r.source.record_id, "812");
  EXPECT_EQ(r.get("qualifiers"), "16384");
  EXPECT_EQ(r.get("level"), "4");
  EXPECT_EQ(r.machine, "pc01.contoso.com");
  EXPECT_EQ(r.source.position, 3u);
  EXPECT_EQ(r.get("data.0").substr(0, 28), "0x0, 0x0, kms1.contoso.com:1");
}

TEST(EventCsvReader, JapaneseHeadersInCp932) {
  const std::string text =
      "レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ\r\n"
      "情報,2024/01/05 9:03:12,Microsoft-Windows-Security-SPP,12288,なし,\"クライアントはキー管理サービスに"
      "ライセンス認証要求を送信しました。\r\n情報:\r\n0x0, 0x0, kms1:1688, d02f0758-43f9-4809-9821-e84edb810cbe, "
      "2024/01/05 0:03, 0, 2, 43200, ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03, 25\"\r\n";
  InputSummary summary;
  const Collected out = ingest_bytes(encode(text, "CP932"), summary, "ja.csv");
  EXPECT_EQ(summary.encoding, "cp932");
  EXPECT_EQ(summary.format, "event-csv");
  ASSERT_EQ(out.records.size(), 1u);
  const Record& r = out.records[0];
  EXPECT_EQ(r.get("event_id"), "12288");
  EXPECT_EQ(r.get("level"), "4");
  EXPECT_EQ(r.time_ms, utc_ms(2024, 1, 5, 9, 3, 12));
  // "情報:" is not the English "Info:" marker, but the payload is the last line anyway.
  EXPECT_EQ(r.get("data.0").substr(0, 17), "0x0, 0x0, kms1:16");
  EXPECT_EQ(r.source.path, "ja.csv");
}

// en-GB writes dd/mm/yyyy: one date that reads only day first (15/03) decides the file, and the dates
// before it that fit both orders (08/03) are read the same way, not as August.
TEST(EventCsvReader, DayMonthOrderIsDecidedPerFile) {
  const std::string text =
      "Level,Date and Time,Source,Event ID,Task Category\n"
      "Information,08/03/2024 10:00:00,SPP,902,None,started\n"
      "Information,15/03/2024 10:00:00,SPP,903,None,stopped\n"
      "Information,09/03/2024 10:00:00,SPP,902,None,started\n";
  const Collected out = read_as(event_csv_format(), text, "gb.csv");
  ASSERT_EQ(out.records.size(), 3u);
  EXPECT_EQ(out.records[0].time_ms, utc_ms(2024, 3, 8, 10, 0, 0));
  EXPECT_EQ(out.records[1].time_ms, utc_ms(2024, 3, 15, 10, 0, 0));
  EXPECT_EQ(out.records[2].time_ms, utc_ms(2024, 3, 9, 10, 0, 0));
  EXPECT_EQ(out.records[0].source.position, 2u);  // still in input order
  EXPECT_TRUE(out.problems.empty());              // the file says which order it has
}

TEST(EventCsvReader, DayMonthOrderWithoutProofFollowsTheWritingStyle) {
  const std::string gb =
      "Level,Date and Time,Source,Event ID,Task Category\n"
      "Information,08/03/2024 14:00:00,SPP,902,None,started\n"
      "Information,09/03/2024 10:00:00,SPP,903,None,stopped\n";
  const Collected g = read_as(event_csv_format(), gb, "gb.csv");
  ASSERT_EQ(g.records.size(), 2u);
  EXPECT_EQ(g.records[0].time_ms, utc_ms(2024, 3, 8, 14, 0, 0));
  ASSERT_EQ(g.problems.size(), 1u);
  EXPECT_EQ(g.problems[0].describe(),
            "gb.csv:2: line 2: dates such as '08/03/2024 14:00:00' fit both day/month and month/day; read as "
            "day/month (dd/mm/yyyy): no date in the file tells, and most are written as en-GB Windows writes "
            "them (zero-padded day and month, 24-hour clock)");
  const std::string us =
      "Level,Date and Time,Source,Event ID,Task Category\n"
      "Information,3/8/2024 2:00:00 PM,SPP,902,None,started\n"
      "Information,3/15/2024 10:00:00 AM,SPP,903,None,stopped\n"
      "Information,15/3/2024 10:00:00 AM,SPP,903,None,stopped\n";
  const Collected u = read_as(event_csv_format(), us, "us.csv");
  ASSERT_EQ(u.records.size(), 3u);
  EXPECT_EQ(u.records[0].time_ms, utc_ms(2024, 3, 8, 14, 0, 0));
  EXPECT_EQ(u.records[2].time_ms, utc_ms(2024, 3, 15, 10, 0, 0));  // contradicts the file: read as it reads
  ASSERT_EQ(u.problems.size(), 1u);
  EXPECT_EQ(u.problems[0].describe(),
            "us.csv:4: line 4: date '15/3/2024 10:00:00 AM' reads only as day/month (dd/mm/yyyy), unlike the "
            "file's other dates (month/day (mm/dd/yyyy)); read as it reads");
}

TEST(EventCsvReader, BadRowsAreReportedAndSkipped) {
  const std::string text =
      "Level,Date and Time,Source,Event ID,Task Category\n"
      "Information,1/5/2024 9:03:12 AM,SPP,notanumber,None,x\n"
      "Information,not a date,SPP,902,None,started\n"
      "Information,1/5/2024 9:04:00 AM,SPP,903,None,stopped\n";
  const Collected out = read_as(event_csv_format(), text, "bad.csv");
  ASSERT_EQ(out.records.size(), 2u);
  ASSERT_EQ(out.problems.size(), 2u);
  EXPECT_EQ(out.problems[0].describe(), "bad.csv:2: line 2: row has no numeric Event ID ('notanumber'); skipped");
  EXPECT_EQ(out.problems[1].where.position, 3u);
  EXPECT_NE(out.problems[1].message.find("unreadable date/time 'not a date'"), std::string::npos);
  EXPECT_EQ(out.records[0].time_ms, kNoTime);  // kept, without a time
  EXPECT_EQ(out.records[1].get("event_id"), "903");
}

TEST(EventCsvReader, UnbalancedQuoteIsBounded) {
  std::string text = "Level,Date and Time,Source,Event ID,Task Category\n";
  text += "Information,1/5/2024 9:03:12 AM,SPP,902,None,\"never closed\n";
  const std::string filler(1000, 'x');
  while (text.size() < 1300 * 1024) text += filler + "\n";
  text += "Information,1/5/2024 9:04:00 AM,SPP,903,None,\"ok\"\n";
  const Collected out = read_as(event_csv_format(), text);
  ASSERT_GE(out.problems.size(), 1u);
  EXPECT_NE(out.problems[0].message.find("row longer than 1 MiB"), std::string::npos);
  EXPECT_EQ(out.problems[0].where.position, 2u);
}

TEST(EventCsvReader, HeaderWithoutEventIdStops) {
  const Collected out = read_as(event_csv_format(), "Name,Value\na,b\n");
  EXPECT_EQ(out.records.size(), 0u);
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].where.position, 1u);
}

TEST(EventCsvReader, DetectionPicksCsvOverOtherFormats) {
  InputSummary summary;
  const Collected out = ingest_bytes(viewer_csv(), summary, "export.csv");
  EXPECT_EQ(summary.format, "event-csv");
  EXPECT_EQ(out.records.size(), 2u);
  EXPECT_EQ(event_tsv_format().detect(viewer_csv(), testing::shipped_kb()), 0);
}

}  // namespace
}  // namespace kmsdiag
