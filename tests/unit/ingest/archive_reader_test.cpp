// Zip bundles through the ingest driver: members are read in place with their own formats, junk
// members are skipped quietly, and the zip-bomb limits stop a member with a problem that says why.
#include "ingest/archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "ingest/ingest_driver.hpp"

namespace kmsdiag {
namespace {

// A zip written in memory with libarchive: (name, content) members, deflated.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& members) {
  std::vector<char> buf(8 << 20);
  size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  for (const auto& [name, content] : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

const char* kEvent =
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
    "<Provider Name='Microsoft-Windows-Security-SPP'/><EventID>902</EventID>"
    "<TimeCreated SystemTime='2024-03-01T08:00:00.0000000Z'/><EventRecordID>1</EventRecordID>"
    "<Channel>Application</Channel><Computer>PC1</Computer></System>"
    "<EventData><Data>10.0.22621.2428</Data></EventData></Event>\n";

struct Collect final : IngestSink {
  std::vector<Record> records;
  std::vector<Problem> problems;
  void on_record(Record&& r) override { records.push_back(std::move(r)); }
  void on_problem(Problem&& p) override { problems.push_back(std::move(p)); }
};

std::vector<InputSummary> ingest_zip(const std::string& zip, Collect& sink) {
  MemorySource src("bundle.zip", zip);
  std::vector<InputSummary> out;
  ingest_source(src, Knowledge{}, sink, out);
  return out;
}

TEST(ArchiveReader, MembersAreReadInPlaceAndJunkIsSkippedQuietly) {
  Collect sink;
  const auto out = ingest_zip(make_zip({{"PC1/app.xml", kEvent},
                                        {"notes.txt", "call the customer back"},
                                        {"shot.png", std::string("\x89PNG\r\n\x1a\n\0\0\0", 11)}}),
                              sink);
  ASSERT_EQ(out.size(), 4u);  // the zip itself, then each member
  EXPECT_EQ(out[0].format, "zip");
  EXPECT_EQ(out[1].path, "bundle.zip!PC1/app.xml");
  EXPECT_EQ(out[1].format, "event-xml");
  EXPECT_EQ(out[1].records, 1u);
  EXPECT_FALSE(out[2].skipped.empty());
  EXPECT_FALSE(out[3].skipped.empty());
  EXPECT_TRUE(sink.problems.empty());
  ASSERT_EQ(sink.records.size(), 1u);
  EXPECT_EQ(sink.records[0].source.path, "bundle.zip!PC1/app.xml");
}

TEST(ArchiveReader, CompressionRatioLimitStopsABombWithAReason) {
  const std::string zip = make_zip({{"zeros.xml", std::string(6 << 20, ' ')}});
  MemorySource src("bomb.zip", zip);
  std::vector<std::string> problems;
  ArchiveLimits limits;
  limits.max_ratio = 50;
  uint64_t read_bytes = 0;
  read_archive(
      src,
      [&](ByteSource& member) {
        char buf[4096];
        while (size_t n = member.read(buf, sizeof buf)) read_bytes += n;
      },
      [&](Problem&& p) { problems.push_back(p.describe()); }, limits);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("compression ratio above 50:1"), std::string::npos) << problems[0];
  EXPECT_LT(read_bytes, 6u << 20);
}

TEST(ArchiveReader, TruncatedArchiveReportsAProblemAndKeepsEarlierMembers) {
  const std::string zip = make_zip({{"a.xml", kEvent}, {"b.xml", std::string(200000, 'x')}});
  Collect sink;
  const auto out = ingest_zip(zip.substr(0, zip.size() / 2), sink);
  EXPECT_FALSE(sink.problems.empty());
  ASSERT_GE(out.size(), 2u);
  EXPECT_EQ(out[1].records, 1u);
}

// Members small enough are read ahead and parsed on worker threads, big ones stream on the archive's
// thread; either way every record arrives, in member order, and a damaged member is reported as itself.
TEST(ArchiveReader, ZippedBundleReadOnSeveralThreadsGivesTheSameRecords) {
  std::string big;
  for (int i = 0; big.size() < (5u << 20); ++i) big += kEvent;  // > the 2 MB read-ahead
  const std::string zip = make_zip({{"PC1/app.xml", kEvent}, {"PC2/big.xml", big}, {"PC3/app.xml", kEvent}});
  const std::string path = ::testing::TempDir() + "/parallel-bundle.zip";
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(zip.data(), 1, zip.size(), f);
  std::fclose(f);
  auto read = [&](unsigned jobs) {
    struct Sinks final : IngestSinks {
      std::unique_ptr<IngestSink> open() override { return std::make_unique<Collect>(); }
      void close(std::unique_ptr<IngestSink> sink, std::vector<InputSummary>& summaries) override {
        for (const auto& r : static_cast<Collect&>(*sink).records) sources.push_back(r.source.describe());
        for (const auto& s : summaries) sources.push_back(s.path + " " + std::to_string(s.records));
      }
      std::vector<std::string> sources;
    } sinks;
    ingest_paths({path}, Knowledge{}, sinks, jobs);
    return sinks.sources;
  };
  const auto one = read(1);
  EXPECT_EQ(read(2), one);
  EXPECT_EQ(read(4), one);
  ASSERT_GT(one.size(), 3u);
  EXPECT_EQ(one.back(), path + "!PC3/app.xml 1");
}

}  // namespace
}  // namespace kmsdiag
