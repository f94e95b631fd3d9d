#include "ingest/event_tsv_reader.hpp"

#include <gtest/gtest.h>

#include "event_text_test_support.hpp"

namespace kmsdiag {
namespace {

using testing::encode;
using testing::ingest_bytes;

// Event Viewer "Save as Text", saved as Unicode (UTF-16LE with BOM) as Windows does.
TEST(EventTsvReader, SaveAsTextUtf16WithBom) {
  const std::string text =
      "Level\tDate and Time\tSource\tEvent ID\tTask Category\r\n"
      "Information\t1/5/2024 9:03:12 AM\tMicrosoft-Windows-Security-SPP\t12289\tNone\t\"The client has processed an "
      "activation response from the key management service machine.\r\nInfo:\r\n0x0, 0x0, 1, 0, 50, 120, 10080, "
      "2024/01/05 09:03\"\r\n"
      "Warning\t1/5/2024 9:05:00 AM\tMicrosoft-Windows-Security-SPP\t1058\tNone\tInstallation of the proof of "
      "purchase, with a comma\r\n";
  InputSummary summary;
  const auto out = ingest_bytes(std::string("\xFF\xFE", 2) + encode(text, "UTF-16LE"), summary, "app.txt");
  EXPECT_EQ(summary.encoding, "utf-16le");
  EXPECT_EQ(summary.format, "event-tsv");
  ASSERT_EQ(out.problems.size(), 0u) << out.problems[0].describe();
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].get("event_id"), "12289");
  EXPECT_EQ(out.records[0].get("data.0"), "0x0, 0x0, 1, 0, 50, 120, 10080, 2024/01/05 09:03");
  EXPECT_EQ(out.records[0].get("format"), "event-tsv");
  EXPECT_EQ(out.records[0].time_ms, utc_ms(2024, 1, 5, 9, 3, 12));
  EXPECT_EQ(out.records[1].source.position, 5u);
  EXPECT_EQ(out.records[1].get("level"), "3");
  EXPECT_EQ(out.records[1].get("message"), "Installation of the proof of purchase, with a comma");
}

TEST(EventTsvReader, CommaHeaderIsNotTsv) {
  EXPECT_EQ(event_tsv_format().detect("Level,Date and Time,Source,Event ID,Task Category\n", testing::shipped_kb()), 0);
  EXPECT_EQ(event_tsv_format().detect("Level\tDate and Time\tSource\tEvent ID\tTask Category\n", testing::shipped_kb()),
            85);
}

}  // namespace
}  // namespace kmsdiag
