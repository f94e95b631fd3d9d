#include "ingest/event_text_fields.hpp"

#include <gtest/gtest.h>

#include "event_text_test_support.hpp"
#include "ingest/line_reader.hpp"

namespace kmsdiag {
namespace {

std::optional<int64_t> time_of(std::string_view text, bool expect_local) {
  bool local = !expect_local;
  const auto t = parse_event_time(text, local);
  if (t) {
    EXPECT_EQ(local, expect_local) << text;
  }
  return t;
}

TEST(EventTextFields, TimeFormats) {
  const int64_t t = utc_ms(2024, 1, 5, 21, 3, 12);
  EXPECT_EQ(time_of("2024/01/05 21:03:12", true), t);
  EXPECT_EQ(time_of("2024/1/5 21:03:12", true), t);
  EXPECT_EQ(time_of("1/5/2024 9:03:12 PM", true), t);
  EXPECT_EQ(time_of("1/5/2024 12:03:12 AM", true), utc_ms(2024, 1, 5, 0, 3, 12));
  EXPECT_EQ(time_of("2024/01/05 午後 9:03:12", true), t);
  EXPECT_EQ(time_of("2024/1/5 下午 9:03:12", true), t);
  EXPECT_EQ(time_of("05.01.2024 21:03:12", true), t);
  EXPECT_EQ(time_of("25/1/2024 21:03", true), utc_ms(2024, 1, 25, 21, 3, 0));
  EXPECT_EQ(time_of("2024-01-05T21:03:12.1234567", true), utc_ms(2024, 1, 5, 21, 3, 12, 123));
  EXPECT_EQ(time_of("2024-01-05T21:03:12Z", false), t);
  EXPECT_EQ(time_of("2024-01-06T06:03:12+09:00", false), t);
  EXPECT_EQ(time_of("\\/Date(1704488592000)\\/", false), t);
  EXPECT_EQ(time_of("/Date(1704488592000+0900)/", false), t);
  EXPECT_EQ(time_of("2024/01/05 21:03:12 +09:00", false), utc_ms(2024, 1, 5, 12, 3, 12));
  bool local = false;
  EXPECT_FALSE(parse_event_time("yesterday", local));
  EXPECT_FALSE(parse_event_time("13/13/2024 9:00", local));
  EXPECT_FALSE(parse_event_time("1/5/2024 13:00 PM", local));
}

TEST(EventTextFields, PayloadShapes) {
  EXPECT_EQ(infer_event_id("0x0, 0x8, kms01.contoso.com:1688, 08c3bda0-c556-4b61-9e4e-7bf6d4df80be, 2006/1/14 2:30, 1, "
                           "2, 40123, cf67834d-db4a-402c-ab1f-2c134f02b700, 25"),
            "12288");
  EXPECT_EQ(infer_event_id("0x0, 0x4000008, 0, 0, 4, 120, 10080, 1/14/2006 2:30"), "12289");
  EXPECT_EQ(infer_event_id("0x0, 25, kms03.site5.contoso.com, e5c98033-aab6-4d0b-9af9-1d399597dd56, 2006/1/14 22:36, "
                           "1, 2, 40123, cf67834d-db4a-402c-ab1f-2c134f02b700,"),
            "12290");
  EXPECT_EQ(infer_event_id("0x80072338"), "");
  EXPECT_EQ(infer_event_id("hello, world"), "");
  EXPECT_EQ(infer_event_id(std::string(100, ',')), "");
}

TEST(EventTextFields, PayloadLine) {
  const EventLabels labels(testing::shipped_kb());
  EXPECT_EQ(payload_line("Publishing failed.\nInfo:  0x80072338\n\n0x80072338: DNS_ERROR", labels), "0x80072338");
  EXPECT_EQ(payload_line("Processed.\r\nInfo:\r\n\r\n0x0,25\r\n", labels), "0x0,25");
  EXPECT_EQ(payload_line("Started.\n10.0.22621.2428\n\n", labels), "10.0.22621.2428");
  EXPECT_EQ(labels.key("イベントID"), "event_id");
  EXPECT_EQ(labels.key("event id:"), "event_id");
  EXPECT_EQ(labels.key("情報"), "");  // a level name, not a column
  EXPECT_EQ(labels.level_number("警告"), "3");
  EXPECT_EQ(labels.level_number("Custom"), "Custom");
}

TEST(LineReader, CrlfAndGiantLinesAreBounded) {
  std::string text = "a\r\n" + std::string(3000, 'x') + "\nb";
  MemorySource src("m", text);
  LineReader lines(src, 1000);
  std::string line;
  ASSERT_TRUE(lines.next(line));
  EXPECT_EQ(line, "a");
  ASSERT_TRUE(lines.next(line));
  EXPECT_EQ(line.size(), 1000u);
  EXPECT_TRUE(lines.truncated());
  ASSERT_TRUE(lines.next(line));
  EXPECT_EQ(line, "b");
  EXPECT_FALSE(lines.truncated());
  EXPECT_EQ(lines.line_number(), 3u);
  EXPECT_FALSE(lines.next(line));
  EXPECT_EQ(lines.bytes(), text.size());
}

}  // namespace
}  // namespace kmsdiag
