#include "ingest/pasted_event_reader.hpp"

#include <gtest/gtest.h>

#include "event_text_test_support.hpp"

namespace kmsdiag {
namespace {

using testing::ingest_bytes;
using testing::read_as;

constexpr std::string_view kHostPayload =
    "0xC004F06C,5,pc7.contoso.com,36f27b39-2fd5-440b-be67-a09996d27a38,2010/9/29 21:46,0,2,41520,"
    "68531fb9-5511-4989-97be-d11a0f55633f";
constexpr std::string_view kClientPayload =
    "0xC004F074, 0x00000000, kms1.contoso.com:1688, 36f27b39-2fd5-440b-be67-a09996d27a38, 2010/09/29 17:52, 0, 2, "
    "41760, 68531fb9-5511-4989-97be-d11a0f55633f, 5";

std::string copy_details(std::string_view log, int id, std::string_view payload, std::string_view computer) {
  return "Log Name:      " + std::string(log) +
         "\r\nSource:        Microsoft-Windows-Security-SPP\r\nDate:          9/29/2010 9:46:12 PM\r\nEvent ID:      " +
         std::to_string(id) +
         "\r\nTask Category: None\r\nLevel:         Information   \r\nKeywords:      Classic\r\nUser:          N/A\r\n"
         "Computer:      " +
         std::string(computer) + "\r\nDescription:\r\nAn activation request has been processed.\r\nInfo:\r\n" +
         std::string(payload) + "\r\n";
}

TEST(PastedEventReader, CopyDetailsBlocks) {
  const std::string text = "Hello support, here are the events:\r\n\r\n" +
                           copy_details("Key Management Service", 12290, kHostPayload, "kms1.contoso.com") + "\r\n" +
                           copy_details("Application", 12288, kClientPayload, "pc7.contoso.com");
  const auto out = read_as(pasted_event_format(), text, "ticket.txt");
  ASSERT_EQ(out.problems.size(), 0u) << out.problems[0].describe();
  ASSERT_EQ(out.records.size(), 2u);
  const Record& host = out.records[0];
  EXPECT_EQ(host.get("event_id"), "12290");
  EXPECT_EQ(host.get("channel"), "Key Management Service");
  EXPECT_EQ(host.get("provider"), "Microsoft-Windows-Security-SPP");
  EXPECT_EQ(host.get("level"), "4");
  EXPECT_EQ(host.machine, "kms1.contoso.com");
  EXPECT_EQ(host.get("data.0"), kHostPayload);
  EXPECT_EQ(host.get("format"), "pasted-event");
  EXPECT_EQ(host.time_ms, utc_ms(2010, 9, 29, 21, 46, 12));
  EXPECT_EQ(host.source.position, 3u);
  EXPECT_EQ(host.get("message"), "An activation request has been processed.\nInfo:\n" + std::string(kHostPayload));
  EXPECT_EQ(out.records[1].get("data.0"), kClientPayload);
  EXPECT_EQ(out.records[1].source.position, 17u);
}

// Tickets quote mails ("> "), pad lines and put blank lines between every line.
TEST(PastedEventReader, QuotedAndDoubleSpacedBlock) {
  std::string text;
  const std::string block = copy_details("Application", 12288, kClientPayload, "pc7");
  for (size_t b = 0, e; b < block.size(); b = e + 1) {
    e = block.find('\n', b);
    text += "> " + block.substr(b, e - b) + "  \n> \n";
  }
  const auto out = read_as(pasted_event_format(), text);
  ASSERT_EQ(out.problems.size(), 0u) << out.problems[0].describe();
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].get("event_id"), "12288");
  EXPECT_EQ(out.records[0].machine, "pc7");
  EXPECT_EQ(out.records[0].get("data.0"), kClientPayload);
}

TEST(PastedEventReader, JapaneseCopyDetails) {
  const std::string text =
      "ログの名前:    Application\nソース:        Microsoft-Windows-Security-SPP\n日付:          2024/01/05 "
      "9:03:12\nイベント ID:   12288\nタスクのカテゴリ: なし\nレベル:        エラー\nキーワード:    クラシック\n"
      "ユーザー:      N/A\nコンピューター: pc01\n説明:\nクライアントはライセンス認証要求を送信しました。\n" +
      std::string(kClientPayload) + "\n";
  const auto out = read_as(pasted_event_format(), text);
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].get("level"), "2");
  EXPECT_EQ(out.records[0].machine, "pc01");
  EXPECT_EQ(out.records[0].get("data.0"), kClientPayload);
  EXPECT_EQ(out.records[0].time_ms, utc_ms(2024, 1, 5, 9, 3, 12));
}

TEST(PastedEventReader, CopyDetailsWithEventXmlUsesTheXml) {
  const std::string text = copy_details("Application", 12288, kClientPayload, "pc7") +
                           "Event Xml:\n<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
                           "  <System>\n    <Provider Name=\"Microsoft-Windows-Security-SPP\" />\n"
                           "    <EventID Qualifiers=\"16384\">12288</EventID>\n    <Level>4</Level>\n"
                           "    <TimeCreated SystemTime=\"2010-09-29T21:46:12.5Z\" />\n"
                           "    <EventRecordID>77</EventRecordID>\n    <Channel>Application</Channel>\n"
                           "    <Computer>pc7.contoso.com</Computer>\n  </System>\n  <EventData>\n    <Data>" +
                           std::string(kClientPayload) + "</Data>\n  </EventData>\n</Event>\n";
  const auto out = read_as(pasted_event_format(), text);
  ASSERT_EQ(out.problems.size(), 0u) << out.problems[0].describe();
  ASSERT_EQ(out.records.size(), 1u);
  const Record& r = out.records[0];
  EXPECT_EQ(r.time_ms, utc_ms(2010, 9, 29, 21, 46, 12, 500));  // UTC from the XML, not the local Date:
  EXPECT_FALSE(r.has("time_local"));
  EXPECT_EQ(r.get("qualifiers"), "16384");
  EXPECT_EQ(r.source.record_id, "77");
  EXPECT_EQ(r.source.position, 1u);
  EXPECT_EQ(r.machine, "pc7.contoso.com");
  EXPECT_EQ(r.get("data.0"), kClientPayload);
  EXPECT_NE(r.get("message").find("Info:"), std::string_view::npos);
}

TEST(PastedEventReader, XmlViewWithFoldMarkers) {
  const std::string text =
      "- <Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
      "- <System>\n"
      "  <Provider Name=\"Microsoft-Windows-Security-SPP\" Guid=\"{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}\" />\n"
      "  <EventID Qualifiers=\"49152\">8198</EventID>\n"
      "  <Level>2</Level>\n"
      "  <TimeCreated SystemTime=\"2025-08-30T03:50:25.5412832Z\" />\n"
      "  <EventRecordID>53</EventRecordID>\n"
      "  <Channel>Application</Channel>\n"
      "  <Computer>DESKTOP-B7DJOVT</Computer>\n"
      "  </System>\n"
      "- <EventData>\n"
      "  <Data>hr=0x800704CF</Data>\n"
      "  <Data>RuleId=31e71c49;Action=AutoActivate;Trigger=UserLogon</Data>\n"
      "  </EventData>\n"
      "  </Event>\n";
  InputSummary summary;
  const auto out = ingest_bytes(text, summary, "xmlview.txt");
  EXPECT_EQ(summary.format, "pasted-event");
  ASSERT_EQ(out.records.size(), 1u);
  const Record& r = out.records[0];
  EXPECT_EQ(r.get("event_id"), "8198");
  EXPECT_EQ(r.get("data.0"), "hr=0x800704CF");
  EXPECT_EQ(r.get("data.1"), "RuleId=31e71c49;Action=AutoActivate;Trigger=UserLogon");
  EXPECT_EQ(r.get("data_count"), "2");
  EXPECT_EQ(r.time_ms, utc_ms(2025, 8, 30, 3, 50, 25, 541));
}

// The XML view folds nesting into "- <n>" lines: 100,000 of them are one problem line, not a crash,
// and the event pasted after it is still read.
TEST(PastedEventReader, DeepXmlViewIsReportedAndTheNextEventRead) {
  const std::string system =
      "- <System>\n  <Provider Name=\"Microsoft-Windows-Security-SPP\" />\n  <EventID>8198</EventID>\n"
      "  <TimeCreated SystemTime=\"2025-08-30T03:50:25Z\" />\n  <Computer>PC1</Computer>\n  </System>\n";
  std::string text =
      "- <Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n" + system + "- <UserData>\n";
  for (int i = 0; i < 100000; ++i) text += "- <n>\n";
  text += "leaf\n";
  for (int i = 0; i < 100000; ++i) text += "  </n>\n";
  text += "  </UserData>\n  </Event>\n\n- <Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n" +
          system + "- <EventData>\n  <Data>hr=0x800704CF</Data>\n  </EventData>\n  </Event>\n";
  const auto out = read_as(pasted_event_format(), text, "xmlview.txt");
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].get("data.0"), "hr=0x800704CF");
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].describe(),
            "xmlview.txt:1: line 1: event XML: UserData nested deeper than 64 elements; event skipped");
}

TEST(PastedEventReader, BarePayloadsAreInferredFromTheirShape) {
  const std::string text =
      "Info:\n" + std::string(kHostPayload) + "\nthe client says:\nInfo: " + std::string(kClientPayload) +
      "\n0x0, 0x4000008, 0, 0, 4, 120, 10080, 1/14/2006 2:30\n"
      "0xC004F06C, 0x00000000, azkms.core.windows.net:1688, 36f27b39-2fd5-440b-be67-a09996d27a38, 2010/09/29 17:52, "
      "1, 5, 0, 34e1ae55-27f8-4950-8877-7a03be5fb181, \n"
      "Info:\n1, 2, 3\n";
  const auto out = read_as(pasted_event_format(), text);
  ASSERT_EQ(out.records.size(), 4u);
  EXPECT_EQ(out.records[0].get("event_id"), "12290");
  EXPECT_EQ(out.records[0].source.position, 1u);  // the "Info:" line
  EXPECT_EQ(out.records[1].get("event_id"), "12288");
  EXPECT_EQ(out.records[2].get("event_id"), "12289");
  EXPECT_EQ(out.records[3].get("event_id"), "12288");  // empty trailing N-policy
  for (const auto& r : out.records) EXPECT_EQ(r.get("inferred"), "1");
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].where.position, 7u);
  EXPECT_NE(out.problems[0].message.find("fits no known KMS event shape"), std::string::npos);
}

TEST(PastedEventReader, BrokenInputIsReported) {
  const std::string text =
      "Log Name: Application\nSource: SPP\nDescription:\nno id here\n"
      "- <Event xmlns=\"x\">\n- <System>\n  <EventID>12288\n";
  const auto out = read_as(pasted_event_format(), text);
  EXPECT_EQ(out.records.size(), 0u);
  ASSERT_EQ(out.problems.size(), 2u);
  EXPECT_EQ(out.problems[0].message, "line 1: event block without an Event ID; skipped");
  EXPECT_EQ(out.problems[1].where.position, 5u);
}

// The KB style of Microsoft articles and tickets: no "Log Name:", so the log is implied by the event id.
TEST(PastedEventReader, KbStyleBlockWithoutLogName) {
  const std::string text =
      "Source: Microsoft-Windows-Security-SPP\nEvent ID: 12288\nLevel: Information\nDescription:\n"
      "The client has sent an activation request to the key management service machine.\nInfo:\n" +
      std::string(kClientPayload) + "\n";
  InputSummary summary;
  const auto out = ingest_bytes(text, summary);
  EXPECT_EQ(summary.format, "pasted-event");
  ASSERT_EQ(out.problems.size(), 0u) << out.problems[0].describe();
  ASSERT_EQ(out.records.size(), 1u);
  const Record& r = out.records[0];
  EXPECT_EQ(r.get("event_id"), "12288");
  EXPECT_EQ(r.get("provider"), "Microsoft-Windows-Security-SPP");
  EXPECT_EQ(r.get("channel"), "Application");
  EXPECT_EQ(r.get("level"), "4");
  EXPECT_EQ(r.get("data.0"), kClientPayload);
  EXPECT_EQ(r.get("data_count"), "1");
  EXPECT_EQ(r.source.position, 1u);
}

// Double-spaced labels, no "Description:" (the message follows the header), "Info:" with its code on
// the same line, several blocks separated by blank lines, and a header of only Source and Event ID.
TEST(PastedEventReader, KbStyleBlocksWithoutDescriptionLabel) {
  const std::string text =
      "Source:  Security-SPP\nEvent ID:  12293\nLevel:  Error\n"
      "Publishing the Key Management Service (KMS) to DNS in the 'contoso.com' domain failed.\n"
      "Info:  0x80072338\n\n"
      "Source:  Microsoft-Windows-Security-SPP\nEvent ID:  12290\n"
      "An activation request has been processed.\nInfo:\n" +
      std::string(kHostPayload) +
      "\n\n"
      "Source: Microsoft-Windows-Security-SPP\nEvent ID: 12288\n" +
      std::string(kClientPayload) + "\n";
  const auto out = read_as(pasted_event_format(), text);
  ASSERT_EQ(out.problems.size(), 0u) << out.problems[0].describe();
  ASSERT_EQ(out.records.size(), 3u);
  const Record& dns = out.records[0];
  EXPECT_EQ(dns.get("event_id"), "12293");
  EXPECT_EQ(dns.get("provider"), "Security-SPP");
  EXPECT_EQ(dns.get("channel"), "Application");
  EXPECT_EQ(dns.get("level"), "2");
  EXPECT_EQ(dns.get("data.0"), "0x80072338");
  EXPECT_EQ(dns.get("message"),
            "Publishing the Key Management Service (KMS) to DNS in the 'contoso.com' domain failed.\n"
            "Info:  0x80072338");
  const Record& host = out.records[1];
  EXPECT_EQ(host.get("event_id"), "12290");
  EXPECT_EQ(host.get("provider"), "Microsoft-Windows-Security-SPP");
  EXPECT_EQ(host.get("channel"), "Key Management Service");
  EXPECT_EQ(host.get("data.0"), kHostPayload);
  EXPECT_EQ(host.source.position, 7u);
  const Record& client = out.records[2];
  EXPECT_EQ(client.get("event_id"), "12288");
  EXPECT_EQ(client.get("provider"), "Microsoft-Windows-Security-SPP");
  EXPECT_EQ(client.get("channel"), "Application");
  EXPECT_EQ(client.get("data.0"), kClientPayload);
  EXPECT_EQ(client.source.position, 13u);
}

// A "Label: value" line the table does not know stays out of the message of a block without
// "Description:"; a sentence ending in a colon starts it.
TEST(PastedEventReader, UnknownHeaderLabelIsNotTheMessage) {
  const std::string text =
      "Source: Microsoft-Windows-Security-SPP\nEvent ID: 12290\nOpcode Name: Info\n"
      "オペコード：情報\nLevel: Information\nThe request was processed as follows:\nInfo:\n" +
      std::string(kHostPayload) + "\n";
  const auto out = read_as(pasted_event_format(), text);
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].get("level"), "4");
  EXPECT_EQ(out.records[0].get("message"),
            "The request was processed as follows:\nInfo:\n" + std::string(kHostPayload));
  EXPECT_EQ(out.records[0].get("data.0"), kHostPayload);
}

TEST(PastedEventReader, DetectionPrefersXmlReaderForPlainXml) {
  const Knowledge& kb = testing::shipped_kb();
  EXPECT_EQ(pasted_event_format().detect(copy_details("Application", 12288, kClientPayload, "pc"), kb), 70);
  InputSummary summary;
  ingest_bytes("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System/></Event>", summary);
  EXPECT_EQ(summary.format, "event-xml");
}

}  // namespace
}  // namespace kmsdiag
