#include "ingest/event_json_reader.hpp"

#include <gtest/gtest.h>

#include "event_text_test_support.hpp"

namespace kmsdiag {
namespace {

using testing::encode;
using testing::ingest_bytes;
using testing::read_as;

// Windows PowerShell 5.1: `Get-WinEvent ... | ConvertTo-Json` writes "\/Date(ms)\/" and CRLF.
constexpr std::string_view kPs51 =
    "[\r\n"
    "    {\r\n"
    "        \"Id\":  12288,\r\n"
    "        \"Version\":  0,\r\n"
    "        \"Qualifiers\":  16384,\r\n"
    "        \"Level\":  4,\r\n"
    "        \"RecordId\":  812,\r\n"
    "        \"ProviderName\":  \"Microsoft-Windows-Security-SPP\",\r\n"
    "        \"LogName\":  \"Application\",\r\n"
    "        \"MachineName\":  \"pc01.contoso.com\",\r\n"
    "        \"TimeCreated\":  \"\\/Date(1704445392000)\\/\",\r\n"
    "        \"LevelDisplayName\":  \"Information\",\r\n"
    "        \"Message\":  \"The client has sent an activation request.\\r\\nInfo:\\r\\n0x0, 0x0, kms1:1688\",\r\n"
    "        \"Properties\":  [\r\n"
    "                           {\r\n"
    "                               \"Value\":  \"0x0, 0x0, kms1:1688, {cmid}\"\r\n"
    "                           }\r\n"
    "                       ]\r\n"
    "    },\r\n"
    "    {\r\n"
    "        \"Id\":  8198,\r\n"
    "        \"ProviderName\":  \"Microsoft-Windows-Security-SPP\",\r\n"
    "        \"TimeCreated\":  \"\\/Date(1704445400000)\\/\",\r\n"
    "        \"Properties\":  [ { \"Value\":  \"hr=0xC004F074\" }, { \"Value\":  \"RuleId=x;Trigger=UserLogon\" }, "
    "{ \"Value\": 7 } ]\r\n"
    "    }\r\n"
    "]\r\n";

TEST(EventJsonReader, ConvertToJsonArray) {
  const auto out = read_as(event_json_format(), kPs51, "events.json");
  ASSERT_EQ(out.problems.size(), 0u) << out.problems[0].describe();
  ASSERT_EQ(out.records.size(), 2u);
  const Record& r = out.records[0];
  EXPECT_EQ(r.get("event_id"), "12288");
  EXPECT_EQ(r.get("qualifiers"), "16384");
  EXPECT_EQ(r.get("level"), "4");  // the number, not LevelDisplayName
  EXPECT_EQ(r.get("channel"), "Application");
  EXPECT_EQ(r.get("record_id"), "812");
  EXPECT_EQ(r.machine, "pc01.contoso.com");
  EXPECT_EQ(r.time_ms, 1704445392000);
  EXPECT_FALSE(r.has("time_local"));
  EXPECT_EQ(r.get("data.0"), "0x0, 0x0, kms1:1688, {cmid}");
  EXPECT_EQ(r.get("data_count"), "1");
  EXPECT_EQ(r.get("message"), "The client has sent an activation request.\r\nInfo:\r\n0x0, 0x0, kms1:1688");
  EXPECT_EQ(r.source.position, 2u);
  const Record& e = out.records[1];
  EXPECT_EQ(e.source.position, 20u);
  EXPECT_EQ(e.get("data.1"), "RuleId=x;Trigger=UserLogon");
  EXPECT_EQ(e.get("data.2"), "7");
  EXPECT_EQ(e.get("data_count"), "3");
}

// PowerShell 7 writes ISO dates with the local offset; a single event is an object, not an array.
TEST(EventJsonReader, SingleObjectIsoTimeUtf16) {
  const std::string text =
      "{\"Id\":12290,\"ProviderName\":\"Microsoft-Windows-Security-SPP\",\"LogName\":\"Key Management Service\","
      "\"TimeCreated\":\"2024-01-05T09:03:12.123+09:00\",\"Message\":\"An activation request has been processed.\\n"
      "Info:\\n0x0,25,pc1,36f27b39-2fd5-440b-be67-a09996d27a38,2024/1/5 0:03,0,1,258000,"
      "68531fb9-5511-4989-97be-d11a0f55633f\",\"Properties\":null}";
  InputSummary summary;
  const auto out = ingest_bytes(std::string("\xFF\xFE", 2) + encode(text, "UTF-16LE"), summary, "one.json");
  EXPECT_EQ(summary.format, "event-json");
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].time_ms, utc_ms(2024, 1, 5, 0, 3, 12, 123));
  EXPECT_EQ(out.records[0].get("data.0").substr(0, 9), "0x0,25,pc");  // from the message
}

TEST(EventJsonReader, BadObjectsAreReportedAndSkipped) {
  const std::string text =
      "[\n{\"Id\": 1, \"ProviderName\": \"a\", \"x\": tru},\n{\"ProviderName\": \"no id\"},\n"
      "{\"Id\": 902, \"ProviderName\": \"SPP\", \"Message\": \"{ not json [\"},\n{\"Id\": 903";
  const auto out = read_as(event_json_format(), text);
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].get("event_id"), "902");
  ASSERT_EQ(out.problems.size(), 3u);
  EXPECT_EQ(out.problems[0].message, "line 2: malformed JSON event object; skipped");
  EXPECT_EQ(out.problems[1].where.position, 3u);
  EXPECT_EQ(out.problems[2].where.position, 5u);
}

TEST(EventJsonReader, DetectsGetWinEventJsonOnly) {
  const Knowledge& kb = testing::shipped_kb();
  EXPECT_EQ(event_json_format().detect(kPs51, kb), 85);
  EXPECT_EQ(event_json_format().detect("{\"name\": \"x\", \"version\": 1}", kb), 0);
  EXPECT_EQ(event_json_format().detect("Id : 5", kb), 0);
}

// A ConvertTo-Json event whose Message is `message` and TimeCreated `time`.
std::string json_event(int record_id, const std::string& message, const std::string& time) {
  return "{\"Id\": 12290, \"ProviderName\": \"Microsoft-Windows-Security-SPP\", \"RecordId\": " +
         std::to_string(record_id) + ", \"TimeCreated\": " + time + ", \"Message\": " + message +
         ", \"Properties\": [{\"Value\": \"0x0\"}]}";
}

// Nesting is refused before the JSON library sees it (it recurses when it writes or compares values):
// 300,000 nested arrays, or wrappers, cost a problem line and the next event is read.
TEST(EventJsonReader, DeepNestingIsReportedAndTheNextEventRead) {
  const size_t deep = 300000;
  const std::string arrays = std::string(deep, '[') + "\"x\"" + std::string(deep, ']');
  std::string chain;
  for (size_t i = 0; i < deep; ++i) chain += "{\"value\": ";
  chain += "\"/Date(1710496800000)/\"" + std::string(deep, '}');
  const std::string fine = "\"/Date(1710496800000)/\"";
  for (const std::string& text : {"[" + json_event(1, arrays, fine) + ",\n" + json_event(2, "\"m\"", fine) + "]",
                                  "[" + json_event(1, "\"m\"", chain) + ",\n" + json_event(2, "\"m\"", fine) + "]"}) {
    const auto out = read_as(event_json_format(), text, "deep.json");
    ASSERT_EQ(out.records.size(), 1u);
    EXPECT_EQ(out.records[0].get("record_id"), "2");
    ASSERT_EQ(out.problems.size(), 1u);
    EXPECT_EQ(out.problems[0].describe(), "deep.json:1: line 1: event object nested deeper than 100 levels; skipped");
  }
  // Wrappers within the limit are unwrapped, however many.
  std::string wrapped = fine;
  for (int i = 0; i < 50; ++i) wrapped = "{\"value\": " + wrapped + "}";
  const auto ok = read_as(event_json_format(), json_event(3, "\"m\"", wrapped));
  ASSERT_EQ(ok.records.size(), 1u);
  EXPECT_EQ(ok.records[0].time_ms, 1710496800000);
}

TEST(EventJsonReader, HugePropertiesAreCappedWithAProblem) {
  std::string props;
  for (size_t i = 0; i < kMaxDataItems + 10; ++i) props += (i ? ", \"" : "\"") + std::to_string(i) + "\"";
  const std::string text =
      "{\"Id\": 12290, \"ProviderName\": \"SPP\", \"Message\": \"m\", \"Properties\": [" + props + "]}";
  const auto out = read_as(event_json_format(), text, "wide.json");
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].get("data_count"), std::to_string(kMaxDataItems));
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].message, "line 1: " + too_many_data_items(kMaxDataItems + 10));
}

}  // namespace
}  // namespace kmsdiag
