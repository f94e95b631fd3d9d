// Reading inputs on several threads gives exactly what reading them on one gives: the same summaries
// in the same order, and every unit's records in their order (here: all the samples, zip included).
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>

#include "ingest/ingest_driver.hpp"

namespace kmsdiag {
namespace {

struct UnitRecords final : IngestSink {
  std::vector<std::string> lines;
  void on_record(Record&& r) override { lines.push_back(r.source.describe() + " " + r.kind); }
  void on_problem(Problem&& p) override { lines.push_back("problem " + p.describe()); }
};

// Concatenates the units' records in the order the driver closes them.
struct Collector final : IngestSinks {
  std::vector<std::string> lines;
  size_t opened = 0;
  std::mutex m;
  std::unique_ptr<IngestSink> open() override {
    std::lock_guard lk(m);
    ++opened;
    return std::make_unique<UnitRecords>();
  }
  void close(std::unique_ptr<IngestSink> sink, std::vector<InputSummary>& summaries) override {
    auto& unit = static_cast<UnitRecords&>(*sink);
    lines.insert(lines.end(), unit.lines.begin(), unit.lines.end());
    for (const auto& s : summaries) lines.push_back("summary " + s.path + " " + std::to_string(s.records));
  }
};

std::vector<std::string> read_all(unsigned jobs, size_t* units = nullptr) {
  Collector c;
  const std::string samples = std::string(KMSDIAG_SOURCE_DIR) + "/samples";
  const auto summaries =
      ingest_paths({samples, std::string(KMSDIAG_SOURCE_DIR) + "/no-such-input"}, Knowledge{}, c, jobs);
  for (const auto& s : summaries) c.lines.push_back("final " + s.path + " " + s.format);
  if (units) *units = c.opened;
  return c.lines;
}

TEST(ParallelIngest, SameResultOnAnyNumberOfThreads) {
  size_t units = 0;
  const auto one = read_all(1, &units);
  EXPECT_GT(units, 50u);  // files, zip members and the zip itself are separate units
  for (unsigned jobs : {2u, 3u, 8u}) EXPECT_EQ(read_all(jobs), one) << jobs << " jobs";
}

TEST(ParallelIngest, ArchiveSummaryComesBeforeItsMembers) {
  const auto lines = read_all(2);
  const auto zip =
      std::find(lines.begin(), lines.end(),
                "final " + std::string(KMSDIAG_SOURCE_DIR) + "/samples/customer-bundle/customer-export.zip zip");
  ASSERT_NE(zip, lines.end());
  ASSERT_NE(zip + 1, lines.end());
  EXPECT_NE((zip + 1)->find("customer-export.zip!"), std::string::npos) << *(zip + 1);
  EXPECT_EQ(lines.back().rfind("final ", 0), 0u);
}

}  // namespace
}  // namespace kmsdiag
