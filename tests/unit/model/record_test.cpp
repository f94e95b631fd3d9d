#include "model/record.hpp"

#include <gtest/gtest.h>

namespace kmsdiag {

TEST(Record, SetReplacesAndGetReturnsEmptyForMissing) {
  Record r;
  r.set("a", "1");
  r.set("a", "2");
  EXPECT_EQ(r.get("a"), "2");
  EXPECT_EQ(r.get("b"), "");
  EXPECT_EQ(r.fields.size(), 1u);
}

TEST(FieldList, KeepsOrderLongValuesAndReplacesInPlace) {
  Record r;
  const std::string long_value(70000, 'x');  // lengths past one varint byte (and past 64 KiB)
  r.fields.push_back({"a", "1"});
  r.fields.push_back({"b", long_value});
  r.fields.push_back({"a", "repeat"});  // readers may repeat a key; find() sees the first
  r.set("c", "3");
  EXPECT_EQ(r.get("a"), "1");
  EXPECT_EQ(r.get("b"), long_value);
  r.set("b", "short");
  r.set("a", "one");
  std::vector<std::string> seen;
  for (const FieldView& f : r.fields) seen.push_back(std::string(f.key) + "=" + std::string(f.value));
  EXPECT_EQ(seen, (std::vector<std::string>{"a=one", "b=short", "a=repeat", "c=3"}));
  EXPECT_EQ(r.fields.size(), 4u);
  EXPECT_FALSE(r.find("d"));
  EXPECT_TRUE(r.has("c"));
}

TEST(FieldList, SetFromItsOwnValuesSurvivesGrowth) {
  Record r;
  r.set("a", std::string(40, 'a'));
  for (int i = 0; i < 50; ++i) r.set("k" + std::to_string(i), r.get("a"));  // views into the buffer that grows
  r.set("a", r.get("k49"));
  EXPECT_EQ(r.get("k49"), std::string(40, 'a'));
  EXPECT_EQ(r.get("a"), std::string(40, 'a'));
}

// Past kIndexedFrom fields lookups go through the key index: the answers must be the scan's.
TEST(FieldList, IndexedListAnswersAsTheScanDoes) {
  FieldList f;
  const size_t n = 5000;
  for (size_t i = 0; i < n; ++i) {
    f.append("data." + std::to_string(i), std::to_string(i));
    f.append("name" + std::to_string(i % 97), std::to_string(i));  // repeated: the first one counts
  }
  ASSERT_EQ(f.size(), 2 * n);
  EXPECT_EQ(f.find("data.4321"), "4321");
  EXPECT_EQ(f.find("name5"), "5");
  EXPECT_EQ(f.find("missing"), std::nullopt);
  f.assign("name5", "a longer value than before");  // moves every field after it
  EXPECT_EQ(f.find("name5"), "a longer value than before");
  EXPECT_EQ(f.find("data.4999"), "4999");
  const FieldList copy = f;
  FieldList moved = FieldList(f);
  EXPECT_EQ(copy.find("data.17"), "17");
  EXPECT_EQ(moved.find("name96"), "96");
  f.clear();
  EXPECT_EQ(f.find("data.17"), std::nullopt);
  f.append("k", "v");
  EXPECT_EQ(f.find("k"), "v");
  // The order of fields is still the order they were added in.
  size_t i = 0;
  for (const FieldView& v : copy) {
    if (i == 2) {
      EXPECT_EQ(v.key, "data.1");
    }
    ++i;
  }
  EXPECT_EQ(i, 2 * n);
}

TEST(Record, NumbersAcceptHexAndDecimalOnly) {
  EXPECT_EQ(to_number("0xC004F074"), 3221549172.0);
  EXPECT_EQ(to_number(" 25 "), 25.0);
  EXPECT_FALSE(to_number("25x"));
  EXPECT_FALSE(to_number(""));
}

TEST(Record, IsoTimesRoundTrip) {
  auto t = parse_iso8601("2023-05-24T01:21:53.1234567Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_time(*t), "2023-05-24T01:21:53.123Z");
  EXPECT_EQ(format_time(*parse_iso8601("1999-12-31T23:00:00+01:00")), "1999-12-31T22:00:00Z");
  // Years outside 0000-9999 (damage, shown in a problem line) keep fmt's padding and sign.
  EXPECT_EQ(format_time(utc_ms(10000, 1, 2, 3, 4, 5, 6)), "10000-01-02T03:04:05.006Z");
  EXPECT_EQ(format_time(utc_ms(-1, 12, 31, 23, 59, 59)), "-001-12-31T23:59:59Z");
  EXPECT_EQ(format_time(utc_ms(0, 1, 1, 0, 0, 0, 1)), "0000-01-01T00:00:00.001Z");
  EXPECT_EQ(format_time(utc_ms(9999, 12, 31, 23, 59, 59, 999)), "9999-12-31T23:59:59.999Z");
  // Every field at its widths, through the parser and back, across the years.
  for (int64_t ms = -62'167'219'200'000; ms < 253'402'300'800'000; ms += 7'777'777'777'777 / 1000 * 1000 + 123)
    EXPECT_EQ(parse_iso8601(format_time(ms)), ms) << format_time(ms);
  EXPECT_FALSE(parse_iso8601("yesterday"));
}

// The exporters' form ("…T…Z"), with every fraction length, damaged digits and fields out of range, reads as the
// same time spelt with a space for the 'T'.
TEST(Record, ExporterTimesReadAsTheGeneralForm) {
  for (const std::string t : {"2023-05-24T01:21:53Z",
                              "2023-05-24T01:21:53.Z",
                              "2023-05-24T01:21:53.1Z",
                              "2023-05-24T01:21:53.12Z",
                              "2023-05-24T01:21:53.123Z",
                              "2023-05-24T01:21:53.1234567Z",
                              "2023-05-24T01:21:53.123456789Z",
                              "0000-01-01T00:00:00.0000000Z",
                              "9999-12-31T23:59:60.9999999Z",
                              "2024-02-30T00:00:00Z",
                              "2023-13-01T00:00:00Z",
                              "2023-00-01T00:00:00Z",
                              "2023-05-00T00:00:00Z",
                              "2023-05-24T24:00:00Z",
                              "2023-05-24T01:60:00Z",
                              "2023-05-24T01:21:61Z",
                              "2023-05-24T01:21:5x.1Z",
                              "2023-05-24T01:21:53.12a4Z",
                              "2023-05-24T01:21:53.1234567",
                              "2023-05-24T01:21:53+1Z",
                              " 2023-05-24T01:21:53.1234567Z\r\n",
                              "202a-05-24T01:21:53Z"}) {
    std::string general = t;
    general[general.find('T')] = ' ';
    EXPECT_EQ(parse_iso8601(t), parse_iso8601(general)) << t;
  }
  EXPECT_EQ(parse_iso8601("2023-05-24T01:21:53.1234567Z"), utc_ms(2023, 5, 24, 1, 21, 53, 123));
  EXPECT_FALSE(parse_iso8601("2023-05-24T01:21:53.12a4Z"));
}

TEST(SourceRef, DescribesLinesAndRecords) {
  EXPECT_EQ((SourceRef{"a.txt", "line", 12, ""}.describe()), "a.txt:12");
  EXPECT_EQ((SourceRef{"a.xml", "record", 5, "812"}.describe()), "a.xml record 5 (EventRecordID 812)");
}

}  // namespace kmsdiag
