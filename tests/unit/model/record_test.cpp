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
  EXPECT_FALSE(parse_iso8601("yesterday"));
}

TEST(SourceRef, DescribesLinesAndRecords) {
  EXPECT_EQ((SourceRef{"a.txt", "line", 12, ""}.describe()), "a.txt:12");
  EXPECT_EQ((SourceRef{"a.xml", "record", 5, "812"}.describe()), "a.xml record 5 (EventRecordID 812)");
}

}  // namespace kmsdiag
