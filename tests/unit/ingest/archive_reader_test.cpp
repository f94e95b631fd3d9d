// Zip bundles through the ingest driver: members are read in place with their own formats, junk
// members are skipped quietly, the zip-bomb limits (shared by nested archives) stop a member with a
// problem that says why, names come out printable, and the central directory exposes hidden members.
#include "ingest/archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "ingest/idle_digest.hpp"
#include "ingest/ingest_driver.hpp"
#include "model/sha256.hpp"

namespace kmsdiag {
namespace {

// A zip written in memory with libarchive: (name, content) members, deflated (or stored). Names are
// written as the bytes given, without the UTF-8 flag.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& members, bool stored = false) {
  size_t total = 1 << 16;
  for (const auto& [name, content] : members) total += name.size() * 2 + content.size() + 256;
  std::vector<char> buf(std::max<size_t>(total, 8 << 20));
  size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  if (stored) archive_write_zip_set_compression_store(a);
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

// Which members' events arrive is what matters here, not what they hold: an event the reader only
// counts (not about activation) is kept as a record with its source alone.
struct Collect final : IngestSink {
  std::vector<Record> records;
  std::vector<Problem> problems;
  void on_record(Record&& r) override { records.push_back(std::move(r)); }
  void on_unused_event(UnusedEvent&& e) override {
    Record r;
    r.source = std::move(e.source);
    records.push_back(std::move(r));
  }
  void on_problem(Problem&& p) override { problems.push_back(std::move(p)); }
};

std::vector<InputSummary> ingest_zip(const std::string& zip, Collect& sink, const ArchiveLimits& limits = {}) {
  MemorySource src("bundle.zip", zip);
  std::vector<InputSummary> out;
  ingest_source(src, Knowledge{}, sink, out, 1, ArchiveNesting{std::make_shared<ArchiveBudget>(limits), 0});
  return out;
}

std::string write_temp(const std::string& name, const std::string& data) {
  const std::string path = ::testing::TempDir() + "/" + name;
  FILE* f = std::fopen(path.c_str(), "wb");
  EXPECT_NE(f, nullptr);
  std::fwrite(data.data(), 1, data.size(), f);
  std::fclose(f);
  return path;
}

bool any_contains(const std::vector<Problem>& problems, std::string_view text) {
  for (const Problem& p : problems)
    if (p.describe().find(text) != std::string::npos) return true;
  return false;
}

// A host log as Windows writes it: events that differ in time, client and CMID, which deflate about 20:1.
std::string host_log(size_t events) {
  std::string log;
  uint32_t x = 12345;
  for (size_t i = 0; i < events; ++i) {
    x = x * 1103515245u + 12345u;
    log += fmt::format(
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider "
        "Name='Microsoft-Windows-Security-SPP'/><EventID Qualifiers='16384'>12290</EventID><TimeCreated "
        "SystemTime='2024-03-{:02}T{:02}:{:02}:{:02}.{:07}Z'/><EventRecordID>{}</EventRecordID><Channel>Key "
        "Management Service</Channel><Computer>KMS01.corp.contoso.com</Computer></System><EventData><Data>"
        "0x00000000,25,PC-{:04}.corp.contoso.com,{:08x}-bb5e-453d-b2a7-cae9df327560,2024/3/15 7:43,0,2,30237,"
        "e0c42288-980c-4788-a014-c080d2e1926e</Data></EventData></Event>\n",
        1 + i / 200, i / 10 % 24, i % 60, i * 7 % 60, x % 10000000, 1000 + i, i % 500, x);
  }
  return log;
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

// The ratio was measured against the bytes fetched per 256 KB block since the member began: for a member
// packed in less than a block that was nothing, so every zipped log over 1 MB was cut as a "zip bomb".
TEST(ArchiveReader, OrdinaryZippedHostLogIsReadWhole) {
  const std::string log = host_log(4500);
  const std::string zip = make_zip({{"host/kms.xml", log}});
  ASSERT_GT(log.size(), 2u << 20);
  ASSERT_LT(zip.size(), log.size() / 10);  // an ordinary ratio, far below the limit
  Collect sink;
  const auto out = ingest_zip(zip, sink);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].records, 4500u);
  EXPECT_TRUE(sink.problems.empty()) << sink.problems[0].describe();
}

// A member cut by a limit says which limit cut it; its reader does not blame the data ("input ends
// before </Event>") for ending where the limit stopped it.
TEST(ArchiveReader, BombIsCutWithAReasonAndTheDataIsNotBlamed) {
  const std::string zip = make_zip({{"zeros.xml", std::string(kEvent).substr(0, 80) + std::string(6 << 20, ' ')}});
  ArchiveLimits limits;
  limits.max_ratio = 50;
  Collect sink;
  const auto out = ingest_zip(zip, sink, limits);
  ASSERT_EQ(out.size(), 2u);
  ASSERT_EQ(out[1].problems.size(), 1u);
  EXPECT_NE(out[1].problems[0].message.find("expands more than 50:1"), std::string::npos) << out[1].problems[0].message;
  EXPECT_NE(out[1].problems[0].message.find("zip bomb"), std::string::npos);
  EXPECT_FALSE(any_contains(sink.problems, "</Event>"));
}

// The bytes read from one archive feed the ratio, not the reads of the archive around it or of others.
TEST(ArchiveReader, RatioIsJudgedOnTheMembersOwnCompressedBytes) {
  uint64_t read_bytes = 0;
  std::vector<std::string> problems;
  const std::string zip = make_zip({{"a.txt", host_log(200)}, {"zeros.bin", std::string(8 << 20, '\0')}});
  MemorySource src("two.zip", zip);
  read_archive(
      src, ArchiveNesting{},
      [&](ByteSource& member) {
        char buf[4096];
        try {
          while (size_t n = member.read(buf, sizeof buf)) read_bytes += n;
        } catch (const std::exception& e) {
          problems.push_back(member.path() + ": " + e.what());
        }
      },
      [&](Problem&& p) { problems.push_back(p.describe()); });
  ASSERT_EQ(problems.size(), 1u);  // 8 MB of zeros deflate past 1000:1; the log beside it does not
  EXPECT_NE(problems[0].find("two.zip!zeros.bin"), std::string::npos) << problems[0];
}

// Stored zips nested thousands deep held a decompressor per level (2.6 GB): nesting has a limit, and the
// members and bytes of every level count against the same budget.
TEST(ArchiveReader, NestingIsLimitedAndLimitsAreSharedAcrossLevels) {
  std::string blob = kEvent, name = "app.xml";
  for (int level = 0; level < 40; ++level) {
    blob = make_zip({{name, blob}}, true);
    name = "inner.zip";
  }
  Collect sink;
  auto out = ingest_zip(blob, sink);
  EXPECT_TRUE(any_contains(sink.problems, "nested 8 archives deep, beyond the limit of 8")) << sink.problems.size();
  EXPECT_LE(out.size(), 10u);
  EXPECT_TRUE(sink.records.empty());

  // Three members at each of three levels: 7 in all, past a limit of 5 that no one level reaches.
  std::string inner = make_zip({{"a.xml", kEvent}, {"b.xml", kEvent}, {"c.xml", kEvent}});
  std::string middle = make_zip({{"x.xml", kEvent}, {"in.zip", inner}, {"y.xml", kEvent}});
  ArchiveLimits limits;
  limits.max_members = 5;
  Collect shared;
  ingest_zip(make_zip({{"mid.zip", middle}}), shared, limits);
  EXPECT_TRUE(any_contains(shared.problems, "more than 5 members in all")) << shared.problems.size();
  EXPECT_EQ(shared.records.size(), 3u);  // x.xml, a.xml and b.xml: the 5 members before the limit
}

// Explorer on a Japanese Windows writes member names in CP932 without the UTF-8 flag; other tools write
// CP437 or UTF-8; a name may hold control characters. Every name comes out as printable UTF-8.
TEST(ArchiveReader, MemberNamesAreDecodedAndEscaped) {
  const std::string cp932 = "\x83\x8D\x83\x4F/app.xml";  // ログ/app.xml
  const std::string cp437 = "caf\x82.xml";               // café.xml
  const std::string zip = make_zip({{cp932, kEvent}, {cp437, kEvent}, {"esc\x1b[2J\nkmsdiag: x.xml", kEvent}});
  Collect sink;
  const auto out = ingest_zip(zip, sink);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[1].path, "bundle.zip!ログ/app.xml");
  EXPECT_EQ(out[2].path, "bundle.zip!café.xml");
  EXPECT_EQ(out[3].path, "bundle.zip!esc\\x1b[2J\\x0akmsdiag: x.xml");
  EXPECT_TRUE(sink.problems.empty()) << sink.problems[0].describe();

  // The UTF-8 flag (bit 11 of the flags) set in the local header (offset 6) and the central directory's (8).
  std::string zip_utf8 = make_zip({{"日本語/app.xml", kEvent}});
  zip_utf8[zip_utf8.find("PK\x03\x04") + 7] |= 0x08;
  zip_utf8[zip_utf8.find("PK\x01\x02") + 9] |= 0x08;
  Collect flagged;
  const auto utf8 = ingest_zip(zip_utf8, flagged);
  ASSERT_EQ(utf8.size(), 2u);
  EXPECT_EQ(utf8[1].path, "bundle.zip!日本語/app.xml");
  EXPECT_TRUE(flagged.problems.empty()) << flagged.problems[0].describe();  // no "cannot be converted" warning
}

// Makes the local header of the member at `a` claim the bytes up to offset `until` as its own, so streaming
// never sees the members in between (their own headers are swallowed as data).
void make_header_swallow(std::string& zip, size_t a, size_t until, size_t name_size) {
  const auto swallowed = static_cast<uint32_t>(until - a - 30 - name_size);
  zip[a + 6] &= ~0x08;  // sizes in the local header, not in a data descriptor after the data
  for (size_t field : {18u, 22u})
    for (int k = 0; k < 4; ++k) zip[a + field + k] = static_cast<char>(swallowed >> (8 * k));
}

std::string lying_zip() {
  std::string zip = make_zip({{"a.xml", kEvent}, {"b.xml", kEvent}, {"c.xml", kEvent}}, true);
  const size_t a = zip.find("PK\x03\x04"), b = zip.find("PK\x03\x04", a + 4), c = zip.find("PK\x03\x04", b + 4);
  EXPECT_NE(c, std::string::npos);
  make_header_swallow(zip, a, c, 5);  // a's data now runs up to c's header
  return zip;
}

// A local header that claims a bigger member swallows the next one: streaming never sees it. The
// central directory still lists it, and the difference is reported: for a zip on disk, on a stream
// (standard input, a pipe) and inside another zip alike, since the directory is read from the stream.
TEST(ArchiveReader, MemberHiddenByItsNeighboursLocalHeaderIsReported) {
  const std::string zip = lying_zip();
  const std::string path = write_temp("lying-header.zip", zip);
  Collect sink;
  const auto out = ingest_paths({path}, Knowledge{}, sink);
  EXPECT_TRUE(any_contains(sink.problems, "lists 'b.xml', which its local header hides"))
      << (sink.problems.empty() ? "" : sink.problems[0].describe());
  EXPECT_TRUE(any_contains(out[0].problems, "b.xml"));

  Collect streamed;
  ingest_zip(zip, streamed);
  EXPECT_TRUE(any_contains(streamed.problems, "bundle.zip member 2: the central directory lists 'b.xml'"))
      << (streamed.problems.empty() ? "" : streamed.problems.back().describe());

  Collect nested;
  ingest_zip(make_zip({{"notes.txt", "x"}, {"PC1/logs.zip", zip}, {"d.xml", kEvent}}), nested);
  EXPECT_TRUE(any_contains(nested.problems, "bundle.zip!PC1/logs.zip member 2: the central directory lists 'b.xml'"))
      << (nested.problems.empty() ? "" : nested.problems.back().describe());
  EXPECT_FALSE(any_contains(nested.problems, "bundle.zip member"));  // the outer zip is sound
}

// When a lie makes streaming lose its place, it may stop at the directory of a zip stored inside the zip;
// that one must not be taken for the outer one (the outer one's hidden members would be missed): the
// directory is the one the stream ends with.
TEST(ArchiveReader, DirectoryOfAStoredInnerZipIsNotTakenForTheOuterOne) {
  const std::string inner = make_zip({{"x.xml", kEvent}, {"y.xml", kEvent}}, true);
  std::string zip = make_zip({{"a.xml", kEvent}, {"b.xml", kEvent}, {"in.zip", inner}, {"c.xml", kEvent}}, true);
  const size_t a = zip.find("PK\x03\x04"), b = zip.find("PK\x03\x04", a + 4);
  make_header_swallow(zip, a, zip.find("PK\x03\x04", b + 4), 5);  // swallows b.xml
  Collect sink;
  ingest_zip(zip, sink);
  // Streaming, lost, read the inner zip's members as the outer's and stopped at its directory: b.xml, in.zip
  // and c.xml were never met. The inner zip's directory lists x.xml and y.xml, which it did meet.
  for (const char* hidden :
       {"member 2: the central directory lists 'b.xml'", "member 3: the central directory lists 'in.zip'",
        "member 4: the central directory lists 'c.xml'"})
    EXPECT_TRUE(any_contains(sink.problems, hidden)) << hidden;
  EXPECT_FALSE(any_contains(sink.problems, "'x.xml'"));
  EXPECT_FALSE(any_contains(sink.problems, "'y.xml'"));
}

// A sound zip, its names in any encoding, on a stream or nested, gives no central-directory problem; a
// directory cut short is reported as damaged, with the entry where it ends.
TEST(ArchiveReader, SoundDirectoriesAreQuietAndACutOneIsDamaged) {
  const std::string names = make_zip({{"\x83\x8D\x83\x4F/app.xml", kEvent}, {"caf\x82.xml", kEvent}, {"dir/", ""}});
  Collect sound;
  ingest_zip(make_zip({{"one.zip", names}, {"two.zip", make_zip({})}}), sound);
  EXPECT_TRUE(sound.problems.empty()) << sound.problems[0].describe();

  const std::string zip = make_zip({{"a.xml", kEvent}, {"b.xml", kEvent}});
  Collect cut;
  ingest_zip(zip.substr(0, zip.find("PK\x01\x02", zip.find("PK\x01\x02") + 4) + 10), cut);  // in the 2nd entry
  EXPECT_TRUE(any_contains(cut.problems, "bundle.zip member 2: central directory damaged from here on: the input ends"))
      << (cut.problems.empty() ? "" : cut.problems.back().describe());
}

// A zip on disk has the digest of its own bytes, computed while it is unpacked (a big one beside its unpacking:
// idle_digest.hpp); its members have none (their bytes are the archive's, and reading a member to its end for
// a digest would undo the zip-bomb limits).
TEST(ArchiveReader, TheArchiveHasTheDigestOfItsBytesItsMembersNone) {
  std::string noise(5 << 20, '\0');
  uint32_t x = 12345;
  for (char& c : noise) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
  const std::string small = make_zip({{"a.xml", kEvent}, {"b.xml", kEvent}});
  const std::string big = make_zip({{"a.xml", kEvent}, {"noise.bin", noise}}, true);
  ASSERT_GE(big.size(), kIdleDigestMinBytes);
  for (const std::string* zip : {&small, &big}) {
    const std::string path = write_temp(zip == &big ? "big-digest.zip" : "digest.zip", *zip);
    Collect sink;
    const auto out = ingest_paths({path}, Knowledge{}, sink);
    ASSERT_EQ(out.size(), 3u);
    Sha256 sha;
    sha.update(*zip);
    EXPECT_EQ(out[0].sha256.str(), sha.hex_digest());
    EXPECT_EQ(out[1].sha256.str(), "");
    EXPECT_EQ(out[1].records, 1u);
    EXPECT_EQ(out[2].sha256.str(), "");
  }
}

// Thousands of damaged members each report problems: every one goes to the sink (stderr), but the
// summaries keep only the first ones and count the rest.
TEST(ArchiveReader, ProblemsKeptInSummariesAreBoundedAndTheRestCounted) {
  std::string bad = kEvent;
  for (int i = 0; i < 150; ++i) bad += "<Event><System><EventID>x</Event>\n";
  std::vector<std::pair<std::string, std::string>> members;
  for (int i = 0; i < 40; ++i) members.emplace_back(fmt::format("m{}.xml", i), bad);
  const std::string path = write_temp("damaged-members.zip", make_zip(members));
  struct Counting final : IngestSink {
    uint64_t problems = 0;
    void on_record(Record&&) override {}
    void on_problem(Problem&&) override { ++problems; }
  } sink;
  const auto out = ingest_paths({path}, Knowledge{}, sink);
  ASSERT_EQ(out.size(), 41u);
  uint64_t kept = 0, counted = 0;
  for (const auto& s : out) {
    kept += s.problems.size();
    counted += s.problems.size() + s.problems_not_listed;
    if (&s != &out[0]) {
      EXPECT_FALSE(s.problems.empty()) << s.path;  // every damaged member still shows
    }
  }
  EXPECT_EQ(sink.problems, 40u * 150u);
  EXPECT_EQ(counted, 40u * 150u);
  EXPECT_LE(kept, 1000u + 40u);
}

// A disk file whose name is not UTF-8 (Latin-1) is shown escaped, and still opened by its real name.
TEST(ArchiveReader, FileNamesThatAreNotUtf8AreShownEscaped) {
  const std::string path = write_temp("caf\xe9.xml", kEvent);
  Collect sink;
  const auto out = ingest_paths({path}, Knowledge{}, sink);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].records, 1u);
  EXPECT_NE(out[0].path.find("caf\\xe9.xml"), std::string::npos) << out[0].path;
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
  const std::string path = write_temp("parallel-bundle.zip", zip);
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
