// Reading inputs on several threads gives exactly what reading them on one gives: the same summaries
// in the same order, and every unit's records in their order (here: all the samples, zip included).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>

#include "ingest/evtx_reader.hpp"
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

// One EVTX file's chunks decoded on several threads: the same records (every field), problems and
// positions as on one, for clean, damaged, truncated, dirty and hostile files alike.
std::vector<std::string> read_evtx(ByteSource& in, unsigned threads) {
  static const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  UnitRecords sink;
  struct Full final : RecordSink {
    std::vector<std::string>& lines;
    explicit Full(std::vector<std::string>& l) : lines(l) {}
    void on_record(Record&& r) override {
      std::string line = r.source.describe() + " " + r.machine + " " + std::to_string(r.time_ms);
      for (const auto& f : r.fields) line.append(" ").append(f.key).append("=").append(f.value);
      lines.push_back(std::move(line));
    }
    void on_problem(Problem&& p) override { lines.push_back("problem " + p.describe()); }
  } full(sink.lines);
  EvtxReader reader(kb);
  reader.use_threads(threads);
  const ReadStats stats = reader.read(in, full);
  sink.lines.push_back("records " + std::to_string(stats.records) + " problems " + std::to_string(stats.problems) +
                       " bytes " + std::to_string(stats.bytes));
  return sink.lines;
}

std::string fixture_path(const std::string& name) {
  return std::string(KMSDIAG_BINARY_DIR) + "/tests/fixtures/evtx/" + name + ".evtx";
}

std::vector<std::string> read_evtx(const std::string& name, unsigned threads) {
  FileSource in(fixture_path(name));
  return read_evtx(in, threads);
}

TEST(ParallelIngest, EvtxChunksOnManyThreadsGiveTheSameRecords) {
  for (const char* name :
       {"many_chunks", "client", "flipped_data", "bad_chunk_header", "truncated", "dirty", "template_bomb"}) {
    const auto one = read_evtx(name, 1);
    ASSERT_GT(one.size(), 1u) << name;
    for (unsigned threads : {2u, 4u}) EXPECT_EQ(read_evtx(name, threads), one) << name << ", " << threads << " threads";
  }
}

// A worker takes a growing batch of chunks at a time (1, 2, ... up to 16): a log long enough for full
// batches, with a damaged chunk header inside one and the last chunk cut short, reads alike on any number.
TEST(ParallelIngest, EvtxChunksInFullBatchesGiveTheSameRecords) {
  std::ifstream file(fixture_path("many_chunks"), std::ios::binary);
  const std::string small((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  constexpr size_t kHeader = 4096, kChunk = 65536;
  ASSERT_EQ((small.size() - kHeader) % kChunk, 0u);
  std::string log = small.substr(0, kHeader);
  while (log.size() < kHeader + 200 * kChunk) log += small.substr(kHeader);  // 30 chunks a copy
  log[kHeader + 150 * kChunk] = 'X';        // chunk 151's "ElfChnk" signature, in the first full batch
  log.resize(log.size() - kChunk / 2 - 7);  // the last chunk ends mid-record
  const auto read = [&](unsigned threads) {
    MemorySource in("long.evtx", log);
    return read_evtx(in, threads);
  };
  const auto one = read(1);
  ASSERT_GT(one.size(), 10000u);  // the events about activation among 39,000
  EXPECT_NE(std::find_if(one.begin(), one.end(), [](const std::string& l) { return l.find("chunk 151") != l.npos; }),
            one.end());
  for (unsigned threads : {2u, 3u}) EXPECT_EQ(read(threads), one) << threads << " threads";
}

}  // namespace
}  // namespace kmsdiag
