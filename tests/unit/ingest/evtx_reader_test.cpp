#include "ingest/evtx_reader.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "evtx_test_support.hpp"
#include "ingest/evtx_binxml.hpp"
#include "ingest/evtx_framing.hpp"
#include "model/analysis.hpp"

namespace kmsdiag {
namespace {

using evtx_test::corpus;
using evtx_test::fixture;

evtx_test::CollectingSink read_evtx(const std::string& path) {
  EvtxReader reader;
  return evtx_test::read_all(reader, path);
}

evtx_test::CollectingSink read_bytes(std::string_view bytes) {
  EvtxReader reader;
  evtx_test::CollectingSink sink;
  MemorySource in("mem.evtx", bytes);
  reader.read(in, sink);
  return sink;
}

bool any_problem_contains(const evtx_test::CollectingSink& s, std::string_view text) {
  for (const auto& p : s.problems)
    if (p.message.find(text) != std::string::npos) return true;
  return false;
}

TEST(EvtxReader, RealEc2ApplicationLogReadsCompletely) {
  const auto s = read_evtx(corpus("ec2-client-Application.evtx"));
  EXPECT_EQ(s.records.size(), 807u);
  EXPECT_TRUE(s.problems.empty());
  std::vector<const Record*> kms;
  for (const auto& r : s.records)
    if (r.get("event_id") == "12288" || r.get("event_id") == "12289") kms.push_back(&r);
  ASSERT_EQ(kms.size(), 4u);
  const Record& req = *kms[0];
  EXPECT_EQ(req.get("event_id"), "12288");
  EXPECT_EQ(req.get("provider"), "Microsoft-Windows-Security-SPP");
  EXPECT_EQ(req.get("channel"), "Application");
  EXPECT_EQ(req.get("record_id"), "8055");
  EXPECT_EQ(req.get("qualifiers"), "16384");
  EXPECT_EQ(req.get("level"), "4");
  EXPECT_EQ(req.get("data_count"), "1");
  EXPECT_EQ(req.get("format"), "evtx");
  EXPECT_EQ(req.get("data.0"),
            "0x00000000, 0x00000000, 169.254.169.251:1688, d02f0758-43f9-4809-9821-e84edb810cbe, 2023/05/24 01:21, "
            "1, 5, 0, ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03, 5");
  EXPECT_EQ(req.machine, "EC2AMAZ-NEUK2LF");
  EXPECT_EQ(format_time(req.time_ms), "2023-05-24T01:21:11.229Z");
  EXPECT_EQ(req.source.unit, "record");
  EXPECT_EQ(req.source.position, 33u);
  EXPECT_EQ(req.source.record_id, "8055");
  EXPECT_EQ(kms[1]->get("data.0"), "0x00000000, 0x00000000, 1, 0, 50, 120, 10080, 2023/05/24 01:21");
  EXPECT_EQ(kms[2]->get("data.0"),
            "0x00000000, 0x00000000, 169.254.169.251:1688, d02f0758-43f9-4809-9821-e84edb810cbe, 2023/05/31 01:21, "
            "1, 1, 249120, ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03, 5");
  EXPECT_EQ(kms[3]->get("data.0"), "0x00000000, 0x00000000, 1, 0, 50, 120, 10080, 2023/05/31 01:21");
  EXPECT_NE(kms[0]->machine, kms[2]->machine);  // renamed between the two exchanges
}

// A real log copied while in use: its header is marked dirty and lags behind the chunks, and 116
// remnants of older records lie past the chunks' free-space offsets (evtxexport -m recovered prints
// 21 of them again, e.g. EventRecordID 1174, already read in chunk 9). Every record is read once, and
// one line says what the header claims against what was read.
TEST(EvtxReader, RealSppNoiseLogReadsCompletely) {
  const auto s = read_evtx(corpus("spp-noise-Application.evtx"));
  EXPECT_EQ(s.records.size(), 2445u);
  for (size_t i = 0; i < s.records.size(); ++i) ASSERT_EQ(s.records[i].source.position, i + 1);
  std::set<std::string> ids;
  for (const auto& r : s.records) EXPECT_TRUE(ids.insert(std::string(r.get("record_id"))).second) << r.get("record_id");
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0].message,
            "file header is marked dirty (log copied while in use): it counts 27 chunk(s) and next record number "
            "2583; the chunk headers count 2445 record(s) up to number 2445; read 2445 record(s) in 28 chunk(s); "
            "116 stale copies of older records past free-space offsets passed over");
}

// With the knowledge tables, events not about activation come as UnusedEvents (no record is built),
// each counted as the interpreter would count its record, and naming its EventRecordID only when its time
// is not plausible; events about activation are read in full, exactly as without the tables.
TEST(EvtxReader, OnlyEventsAboutActivationBecomeRecords) {
  static const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  EvtxReader full, filtered(kb);
  for (const char* log : {"spp-noise-Application.evtx", "ec2-client-Application.evtx"}) {
    SCOPED_TRACE(log);
    const auto all = evtx_test::read_all(full, corpus(log));
    const auto lean = evtx_test::read_all(filtered, corpus(log));
    ASSERT_EQ(lean.records.size() + lean.unused.size(), all.records.size());
    EXPECT_EQ(lean.problems.size(), all.problems.size());
    size_t built = 0, unused = 0;
    for (const Record& a : all.records) {
      if (kb.activation_layout(a.get("provider"), a.get("channel"), a.get("event_id"))) {
        ASSERT_LT(built, lean.records.size());
        const Record& b = lean.records[built++];
        ASSERT_EQ(b.source.position, a.source.position);
        ASSERT_TRUE(std::equal(a.fields.begin(), a.fields.end(), b.fields.begin(), b.fields.end(),
                               [](const auto& x, const auto& y) { return x.key == y.key && x.value == y.value; }));
        ASSERT_EQ(b.time_ms, a.time_ms);
        ASSERT_EQ(b.machine, a.machine);
      } else {
        ASSERT_LT(unused, lean.unused.size());
        const UnusedEvent& b = lean.unused[unused++];
        ASSERT_EQ(b.source.path, a.source.path);
        ASSERT_EQ(b.source.position, a.source.position);
        ASSERT_EQ(b.source.record_id, plausible_time(b.time_ms) ? "" : a.source.record_id);
        ASSERT_EQ(b.key, ignored_event_key(a.get("provider"), a.get("channel"), a.get("event_id")));
        ASSERT_EQ(b.time_ms, a.time_ms);
      }
    }
    EXPECT_EQ(built, lean.records.size());
    EXPECT_GT(unused, 100u);
  }
}

// An event whose time is not plausible names its EventRecordID in the problem that says so: read from its
// template even when the event is otherwise only counted.
TEST(EvtxReader, UnusedEventsOfImplausibleTimeNameTheirRecordId) {
  static const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  EvtxReader full, filtered(kb);
  const auto all = evtx_test::read_all(full, fixture("app_1980"));
  const auto lean = evtx_test::read_all(filtered, fixture("app_1980"));
  ASSERT_GT(lean.unused.size(), 100u);
  std::map<uint64_t, std::string> ids;  // position -> EventRecordID, of the full read
  for (const Record& r : all.records) ids[r.source.position] = r.source.record_id;
  for (const UnusedEvent& e : lean.unused) {
    ASSERT_FALSE(plausible_time(e.time_ms));
    EXPECT_FALSE(e.source.record_id.empty());
    EXPECT_EQ(e.source.record_id, ids[e.source.position]);
  }
}

TEST(EvtxReader, RealEmptyKmsLogHasNoRecordsAndNoProblem) {
  const auto s = read_evtx(corpus("empty-KeyManagementService.evtx"));
  EXPECT_TRUE(s.records.empty());
  EXPECT_TRUE(s.problems.empty());
}

TEST(EvtxReader, GeneratedClientLogSpansChunks) {
  const auto s = read_evtx(fixture("client"));
  ASSERT_EQ(s.records.size(), 600u);
  EXPECT_TRUE(s.problems.empty());
  for (size_t i = 0; i < s.records.size(); ++i) ASSERT_EQ(s.records[i].get("record_id"), std::to_string(i + 1));
  EXPECT_EQ(s.records[0].get("event_id"), "12288");
  EXPECT_EQ(s.records[0].get("data_count"), "1");  // the comma payload; <Binary> is not a <Data>
  EXPECT_EQ(s.records[0].get("data.0").substr(0, 49), "0x00000000, 0x00000000, KMS01.corp.example:1688, ");
}

TEST(EvtxReader, GeneratedHostLogHas12290InKmsChannel) {
  const auto s = read_evtx(fixture("host"));
  ASSERT_EQ(s.records.size(), 400u);
  const Record& r = s.records[3];
  EXPECT_EQ(r.get("event_id"), "12290");
  EXPECT_EQ(r.get("channel"), "Key Management Service");
  EXPECT_EQ(r.machine, "KMS01.corp.example");
  EXPECT_EQ(r.get("data_count"), "10");
  EXPECT_EQ(r.get("data.1"), "0x0");
  EXPECT_EQ(r.get("data.3"), "PC-003.corp.example");
}

TEST(EvtxReader, EveryValueTypeRenders) {
  const auto s = read_evtx(fixture("types"));
  ASSERT_EQ(s.records.size(), 40u);
  EXPECT_TRUE(s.problems.empty());
  const Record& r = s.records[0];
  EXPECT_EQ(r.get("data.String"), "text \u00e9\u4e2d 0");
  EXPECT_EQ(r.get("data.Ansi"), "ansi text");
  EXPECT_EQ(r.get("data.Int8"), "-5");
  EXPECT_EQ(r.get("data.UInt8"), "200");
  EXPECT_EQ(r.get("data.Int16"), "-300");
  EXPECT_EQ(r.get("data.UInt16"), "60000");
  EXPECT_EQ(r.get("data.Int32"), "-70000");
  EXPECT_EQ(r.get("data.UInt32"), "4000000000");
  EXPECT_EQ(r.get("data.Int64"), "-5000000000");
  EXPECT_EQ(r.get("data.UInt64"), "18000000000000000000");
  EXPECT_EQ(r.get("data.Real64"), "2.5");
  EXPECT_EQ(r.get("data.Bool"), "true");
  EXPECT_EQ(r.get("data.Guid"), "{D02F0758-43F9-4809-9821-E84EDB810CBE}");
  EXPECT_EQ(r.get("data.FileTime"), "2024-03-01T08:00:00.1234567Z");
  EXPECT_EQ(r.get("data.SystemTime"), "2024-03-01T08:09:10.123Z");
  EXPECT_EQ(r.get("data.Sid"), "S-1-5-21-1004336348-1177238915-682003330-512");
  EXPECT_EQ(r.get("data.HexInt32"), "0xc004f074");
  EXPECT_EQ(r.get("data.HexInt64"), "0x0080000000000000");
  EXPECT_EQ(r.get("data.Binary"), "DEADBEEF");
  EXPECT_TRUE(r.has("data.Empty"));
  EXPECT_EQ(r.get("data.Empty"), "");
  // An array substitution fills one <Data> per item; a repeated name keeps its first value.
  EXPECT_EQ(r.get("data.Strings"), "alpha");
  EXPECT_EQ(r.get("data.20"), "alpha");
  EXPECT_EQ(r.get("data.22"), "gamma 0");
  EXPECT_EQ(r.get("data.25"), "3");
  EXPECT_EQ(r.get("data_count"), "26");
  EXPECT_EQ(r.get("qualifiers"), "0");
  EXPECT_EQ(format_time(r.time_ms), "2024-03-01T08:00:00Z");
}

TEST(EvtxReader, RecordEndingAtChunkEndIsRead) {
  // libevtx 20181227 drops these records; every one must come through here.
  const auto s = read_evtx(fixture("exact_end"));
  EXPECT_EQ(s.records.size(), 600u);
  EXPECT_TRUE(s.problems.empty());
}

TEST(EvtxReader, EmptyGeneratedLog) {
  const auto s = read_evtx(fixture("empty"));
  EXPECT_TRUE(s.records.empty());
  EXPECT_TRUE(s.problems.empty());
}

TEST(EvtxReader, RecordDataChecksumMismatchWarnsButKeepsRecords) {
  const auto s = read_evtx(fixture("flipped_data"));
  EXPECT_EQ(s.records.size(), 600u);
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_NE(s.problems[0].message.find("chunk 2"), std::string::npos);
  EXPECT_NE(s.problems[0].message.find("checksum"), std::string::npos);
  EXPECT_EQ(s.problems[0].where.unit, "record");
  EXPECT_EQ(s.problems[0].where.position, 121u);  // first record of chunk 2
}

TEST(EvtxReader, ChunkHeaderChecksumMismatchWarns) {
  const auto s = read_evtx(fixture("bad_header_crc"));
  EXPECT_EQ(s.records.size(), 600u);
  EXPECT_TRUE(any_problem_contains(s, "chunk 2 (file offset 69632): header checksum mismatch"));
}

TEST(EvtxReader, FileHeaderChecksumMismatchWarns) {
  const auto s = read_evtx(fixture("bad_file_crc"));
  EXPECT_EQ(s.records.size(), 600u);
  EXPECT_TRUE(any_problem_contains(s, "file header checksum mismatch"));
}

TEST(EvtxReader, BadChunkHeaderSkipsThatChunkOnly) {
  const auto full = read_evtx(fixture("client"));
  const auto s = read_evtx(fixture("bad_chunk_header"));
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0].message.rfind("chunk 2", 0), 0u);
  EXPECT_NE(s.problems[0].message.find("skipped"), std::string::npos);
  ASSERT_FALSE(s.records.empty());
  EXPECT_LT(s.records.size(), full.records.size());
  // Records after the skipped chunk continue with the right EventRecordIDs.
  EXPECT_EQ(s.records.back().get("record_id"), "600");
}

TEST(EvtxReader, TruncatedFileKeepsCompleteRecordsBeforeTheCut) {
  const auto s = read_evtx(fixture("truncated"));
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_NE(s.problems[0].message.find("truncated"), std::string::npos);
  ASSERT_GT(s.records.size(), 120u);  // all of chunk 1 and part of chunk 2
  for (size_t i = 0; i < s.records.size(); ++i) ASSERT_EQ(s.records[i].get("record_id"), std::to_string(i + 1));
}

// Records written after the chunk header was last updated (a log copied while the service appends)
// are read, as evtxexport -m all reads them, and said so.
TEST(EvtxReader, DirtyLogRecordsPastTheFreeSpaceOffsetAreRead) {
  const auto s = read_evtx(fixture("dirty"));
  ASSERT_EQ(s.records.size(), 600u);
  for (size_t i = 0; i < s.records.size(); ++i) ASSERT_EQ(s.records[i].get("record_id"), std::to_string(i + 1));
  ASSERT_EQ(s.problems.size(), 2u);
  EXPECT_NE(s.problems[0].message.find(": 5 record(s) found past the chunk's free-space offset"), std::string::npos)
      << s.problems[0].message;
  EXPECT_EQ(s.problems[0].where.position, 596u);
  EXPECT_NE(s.problems[1].message.find("file header is marked dirty (log copied while in use): it counts 5 chunk(s) "
                                       "and next record number 596;"),
            std::string::npos)
      << s.problems[1].message;
  EXPECT_NE(s.problems[1].message.find("read 595 record(s) in 5 chunk(s) and 5 past free-space offsets"),
            std::string::npos)
      << s.problems[1].message;
}

// 1,000 records of a few bytes each, every one a tree of nested templates 4^10 instances big: the
// chunk's work budget (proportional to its bytes) runs out in the first record, and the chunk costs
// one problem line naming it and the records lost, not 1,000 slow decodes of 8 M steps each.
TEST(EvtxReader, TemplateBombIsStoppedByTheChunkWorkBudget) {
  const auto s = read_evtx(fixture("template_bomb"));
  EXPECT_TRUE(s.records.empty());
  ASSERT_EQ(s.problems.size(), 1u);
  const Problem& p = s.problems[0];
  EXPECT_EQ(p.message.rfind("chunk 1 (file offset 4096): record 1 of the chunk: binary XML expands beyond the "
                            "chunk's work budget",
                            0),
            0u)
      << p.message;
  EXPECT_NE(p.message.find("records 1-1000 of the chunk skipped"), std::string::npos) << p.message;
  EXPECT_EQ(p.where.path, fixture("template_bomb"));
  EXPECT_EQ(p.where.position, 1u);
}

// Work is charged to the chunk, not to the record: a decoder never does more than the budget of the
// bytes it was given, however the chunk's records are split.
TEST(EvtxReader, DecodingWorkIsBoundedByTheChunkSize) {
  std::string bytes;
  {
    FileSource in(fixture("template_bomb"));
    char buf[65536];
    for (size_t n; (n = in.read(buf, sizeof buf)) > 0;) bytes.append(buf, n);
  }
  const auto* chunk = reinterpret_cast<const uint8_t*>(bytes.data()) + evtx::kFileHeaderSize;
  evtx::BinXmlDecoder decoder;
  decoder.set_chunk(chunk, static_cast<uint32_t>(evtx::kChunkSize));
  evtx::RecordSlots slots(chunk, evtx::le32(chunk + 48));
  std::string why;
  struct Null : evtx::BinXmlSink {
    void open_element(std::string_view) override {}
    void attribute(std::string_view) override {}
    void close_start() override {}
    void value(const evtx::Value&) override {}
    void end_element() override {}
  } sink;
  int spent = 0;
  while (const auto slot = slots.next(why)) {
    try {
      decoder.decode(slot->binxml_offset(), slot->binxml_end(), sink);
    } catch (const evtx::WorkBudgetExceeded&) {
      ++spent;
    }
    ASSERT_LE(decoder.work(), decoder.budget());
  }
  EXPECT_EQ(spent, 1000);  // every later record finds the budget gone at its first step
  EXPECT_EQ(decoder.budget(), evtx::BinXmlDecoder::kWorkPerByte * evtx::kChunkSize);
}

TEST(EvtxReader, NotEvtxIsOneProblem) {
  const auto s = read_bytes("hello, this is not an event log");
  EXPECT_TRUE(s.records.empty());
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_NE(s.problems[0].message.find("ElfFile"), std::string::npos);
}

TEST(EvtxReader, GarbageAfterSignatureNeverCrashes) {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::string bytes(4096 + 65536 * 2 + 1000, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    bytes.replace(0, 8, std::string("ElfFile\0", 8));
    bytes.replace(4096, 8, std::string("ElfChnk\0", 8));
    const auto s = read_bytes(bytes);
    EXPECT_FALSE(s.problems.empty());
  }
}

TEST(EvtxReader, DamagedBytesInEveryRecordAreReportedNotFatal) {
  // Flip bytes all over a real generated file: every outcome must be records or problems, never a crash.
  std::string bytes;
  {
    FileSource in(fixture("types"));
    char buf[65536];
    for (size_t n; (n = in.read(buf, sizeof buf)) > 0;) bytes.append(buf, n);
  }
  const uint32_t free_space = evtx::le32(reinterpret_cast<const uint8_t*>(bytes.data()) + 4096 + 48);
  ASSERT_GT(free_space, 1024u);
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    std::string damaged = bytes;
    for (int k = 0; k < 8; ++k) damaged[4096 + 512 + rng() % (free_space - 512)] ^= static_cast<char>(1 + rng() % 255);
    const auto s = read_bytes(damaged);
    EXPECT_LE(s.records.size(), 40u);
    EXPECT_FALSE(s.problems.empty());
  }
}

TEST(EvtxReader, Detection) {
  EXPECT_EQ(detect_evtx(std::string_view("ElfFile\0\0\0", 10)), 100);
  EXPECT_EQ(detect_evtx("ElfChnk"), 0);
  EXPECT_EQ(detect_evtx(""), 0);
  const FormatInfo f = evtx_format();
  EXPECT_EQ(f.name, "evtx");
  EXPECT_FALSE(f.text);
}

}  // namespace
}  // namespace kmsdiag
