// The template shortcut (evtx_template_system) must change nothing: chunk by chunk, a decoder that reads
// unused events through their template yields exactly the events, problems and counts of one that walks
// every record, on real logs and generated ones, and records the shortcut cannot describe (a value of
// another type, a null where a value is read, a cut substitution array) are walked as before.
#include "ingest/evtx_template_system.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "evtx_test_support.hpp"
#include "ingest/evtx_chunk_decoder.hpp"
#include "ingest/evtx_framing.hpp"

namespace kmsdiag {
namespace {

using evtx_test::corpus;
using evtx_test::fixture;

const Knowledge& tables() {
  static const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  return kb;
}

// The classifier EvtxReader gives its decoders.
evtx::RecordBuilder::Classifier about_activation() {
  return [](std::string_view provider, std::string_view channel, std::string_view event_id) {
    return tables().activation_layout(provider, channel, event_id);
  };
}

std::string file_bytes(const std::string& path) {
  std::string bytes;
  FileSource in(path);
  char buf[65536];
  for (size_t n; (n = in.read(buf, sizeof buf)) > 0;) bytes.append(buf, n);
  return bytes;
}

// Chunk `i` (0-based) of an EVTX file's bytes, zero-filled past the end as the reader hands it over.
std::vector<uint8_t> chunk_of(const std::string& bytes, size_t i, size_t& got) {
  std::vector<uint8_t> chunk(evtx::kChunkSize, 0);
  const size_t at = evtx::kFileHeaderSize + i * evtx::kChunkSize;
  got = at < bytes.size() ? std::min(bytes.size() - at, evtx::kChunkSize) : 0;
  if (got) std::memcpy(chunk.data(), bytes.data() + at, got);
  return chunk;
}

size_t chunk_count(const std::string& bytes) {
  return bytes.size() <= evtx::kFileHeaderSize
             ? 0
             : (bytes.size() - evtx::kFileHeaderSize + evtx::kChunkSize - 1) / evtx::kChunkSize;
}

void expect_same_record(const Record& a, const Record& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.time_ms, b.time_ms);
  EXPECT_EQ(a.machine, b.machine);
  EXPECT_EQ(a.source.describe(), b.source.describe());
  EXPECT_EQ(a.source.record_id, b.source.record_id);
  EXPECT_TRUE(std::equal(a.fields.begin(), a.fields.end(), b.fields.begin(), b.fields.end(),
                         [](const auto& x, const auto& y) { return x.key == y.key && x.value == y.value; }))
      << a.source.describe();
}

// Decodes every chunk of `bytes` with and without the shortcut; everything must be equal. Counts the
// records the shortcut read and the unused events.
struct Counts {
  uint64_t shortcut = 0, unused = 0;     // unused events read through their template, and all of them
  uint64_t read_whole = 0, records = 0;  // events about activation read whole through it, and all of them
};
void expect_same_as_walk(const std::string& bytes, const std::string& label, Counts& n) {
  SCOPED_TRACE(label);
  evtx::ChunkDecoder fast(label, about_activation()), walk(label, about_activation(), false);
  n = Counts{};
  for (size_t i = 0; i < chunk_count(bytes); ++i) {
    SCOPED_TRACE("chunk " + std::to_string(i + 1));
    size_t got = 0;
    const auto chunk = chunk_of(bytes, i, got);
    const auto a = fast.decode(chunk.data(), got, i + 1);
    const auto b = walk.decode(chunk.data(), got, i + 1);
    EXPECT_EQ(b.shortcut, 0u);
    EXPECT_EQ(b.shortcut_records, 0u);
    n.shortcut += a.shortcut;
    n.read_whole += a.shortcut_records;
    EXPECT_EQ(a.positions, b.positions);
    EXPECT_EQ(a.walked, b.walked);
    EXPECT_EQ(a.recovered, b.recovered);
    EXPECT_EQ(a.stale, b.stale);
    EXPECT_EQ(a.header_records, b.header_records);
    EXPECT_EQ(a.last_record_number, b.last_record_number);
    EXPECT_EQ(a.end_of_file, b.end_of_file);
    ASSERT_EQ(a.problems.size(), b.problems.size());
    for (size_t p = 0; p < a.problems.size(); ++p) EXPECT_EQ(a.problems[p].describe(), b.problems[p].describe());
    ASSERT_EQ(a.events.size(), b.events.size());
    for (size_t e = 0; e < a.events.size(); ++e) {
      ASSERT_EQ(a.events[e].index(), b.events[e].index()) << "event " << e;
      if (const auto* ua = std::get_if<UnusedEvent>(&a.events[e])) {
        const auto& ub = std::get<UnusedEvent>(b.events[e]);
        ++n.unused;
        EXPECT_EQ(ua->key, ub.key);
        EXPECT_EQ(ua->time_ms, ub.time_ms);
        EXPECT_EQ(ua->source.describe(), ub.source.describe());
        EXPECT_EQ(ua->source.position, ub.source.position);
        EXPECT_EQ(ua->source.record_id, ub.source.record_id);
      } else {
        ++n.records;
        expect_same_record(std::get<Record>(a.events[e]), std::get<Record>(b.events[e]));
      }
    }
  }
  EXPECT_LE(n.shortcut, n.unused);
  EXPECT_LE(n.read_whole, n.records);
}

TEST(TemplateShortcut, RealLogsYieldExactlyWhatTheWalkYields) {
  for (const char* log :
       {"ec2-client-Application.evtx", "spp-noise-Application.evtx", "empty-KeyManagementService.evtx"}) {
    Counts n;
    expect_same_as_walk(file_bytes(corpus(log)), log, n);
    // Windows writes every System element in a shape the shortcut describes, and every licensing event's
    // EventData (an embedded document: Data items from a string array, or none) too.
    EXPECT_EQ(n.shortcut, n.unused) << log;
    EXPECT_EQ(n.read_whole, n.records) << log;
  }
}

TEST(TemplateShortcut, GeneratedLogsYieldExactlyWhatTheWalkYields) {
  for (const char* name : {"client", "host", "types", "many_chunks", "dirty", "truncated", "flipped_data",
                           "bad_chunk_header", "exact_end", "template_bomb"}) {
    Counts n;
    expect_same_as_walk(file_bytes(fixture(name)), name, n);
    if (std::string(name) == "many_chunks") {
      EXPECT_GT(n.unused, 4000u);
      EXPECT_EQ(n.shortcut, n.unused);
      EXPECT_GT(n.records, 1000u);
      EXPECT_EQ(n.read_whole, n.records);
    }
  }
}

// gen_evtx.py's shapes mix: System elements the shortcut reads (a substituted provider name, a 32-bit
// EventID) and ones it must leave to the walk (a null provider Name, TimeCreated left out by a null
// content, a Level of bad bytes, a Keywords array, a null EventRecordID).
TEST(TemplateShortcut, SystemShapesItCannotDescribeAreWalked) {
  Counts n;
  expect_same_as_walk(file_bytes(fixture("shapes")), "shapes", n);
  EXPECT_GT(n.shortcut, n.unused / 4);
  EXPECT_LT(n.shortcut, n.unused * 3 / 4);
}

// The first record from the third on of a chunk, walked, that is a `Kind` (UnusedEvent or Record) and for
// which `pick(at)` gives a chunk offset; `at` is the offset of its template instance. That offset, and the
// record's position in `position`; 0 when there is none.
template <class Kind, class Pick>
uint32_t find_record(const std::vector<uint8_t>& chunk, uint64_t& position, const Pick& pick) {
  evtx::ChunkDecoder walk("x", about_activation(), false);
  const auto result = walk.decode(chunk.data(), evtx::kChunkSize, 1);
  evtx::RecordSlots slots(chunk.data(), evtx::le32(chunk.data() + 48));
  std::string why;
  position = 0;
  while (const auto slot = slots.next(why)) {
    ++position;
    if (position < 3 || !std::holds_alternative<Kind>(result.events[position - 1])) continue;
    const uint32_t at = slot->binxml_offset() + 4;  // past the fragment header, at the template instance
    if (const uint32_t found = pick(at)) return found;
  }
  ADD_FAILURE() << "no such record";
  return 0;
}

// The first record of many_chunks' first chunk that uses a template defined by an earlier record and is
// not about activation; the offset of its substitution array (the count) in the chunk.
uint32_t unused_record_subs(const std::vector<uint8_t>& chunk, uint64_t& position) {
  return find_record<UnusedEvent>(chunk, position, [&chunk](uint32_t at) -> uint32_t {
    return evtx::le32(chunk.data() + at + 6) != at + 10 ? at + 10 : 0;
  });
}

// gen_evtx.py's event template: substitution 9 is EventID (UInt16), 5 EventRecordID (UInt64).
constexpr uint32_t kEventIdSub = 9, kRecordIdSub = 5;

struct Damaged {
  std::string bytes;
  uint64_t position = 0;  // of the damaged record in chunk 1
};

Damaged damage(void (*change)(uint8_t* subs)) {
  Damaged d{file_bytes(fixture("many_chunks")), 0};
  size_t got = 0;
  const auto chunk = chunk_of(d.bytes, 0, got);
  const uint32_t subs = unused_record_subs(chunk, d.position);
  change(reinterpret_cast<uint8_t*>(d.bytes.data()) + evtx::kFileHeaderSize + subs);
  return d;
}

uint64_t shortcut_in_chunk_1(const std::string& bytes) {
  size_t got = 0;
  const auto chunk = chunk_of(bytes, 0, got);
  evtx::ChunkDecoder fast("x", about_activation());
  return fast.decode(chunk.data(), got, 1).shortcut;
}

TEST(TemplateShortcut, ValueOfAnotherTypeIsWalked) {
  // EventID as Int16 instead of UInt16: the same two bytes, the same number.
  const auto d = damage([](uint8_t* subs) { subs[4 + 4 * kEventIdSub + 2] = evtx::vt::kInt16; });
  Counts n;
  expect_same_as_walk(d.bytes, "EventID of another type", n);
  EXPECT_EQ(shortcut_in_chunk_1(d.bytes) + 1, shortcut_in_chunk_1(file_bytes(fixture("many_chunks"))));
  const auto event_at = [&](const std::string& bytes) {
    size_t got = 0;
    const auto chunk = chunk_of(bytes, 0, got);
    evtx::ChunkDecoder fast("x", about_activation());
    auto result = fast.decode(chunk.data(), got, 1);
    return std::move(result.events[d.position - 1]);
  };
  const auto damaged = event_at(d.bytes), sound = event_at(file_bytes(fixture("many_chunks")));
  const auto* e = std::get_if<UnusedEvent>(&damaged);
  ASSERT_NE(e, nullptr);  // still read, as the same unused event
  EXPECT_EQ(e->key, std::get<UnusedEvent>(sound).key);
  EXPECT_EQ(e->source.record_id, std::get<UnusedEvent>(sound).source.record_id);
}

TEST(TemplateShortcut, NullWhereAValueIsReadIsWalked) {
  const auto d = damage([](uint8_t* subs) { subs[4 + 4 * kRecordIdSub + 2] = evtx::vt::kNull; });
  Counts n;
  expect_same_as_walk(d.bytes, "null EventRecordID", n);
  EXPECT_EQ(shortcut_in_chunk_1(d.bytes) + 1, shortcut_in_chunk_1(file_bytes(fixture("many_chunks"))));
}

TEST(TemplateShortcut, CutSubstitutionArrayIsWalkedAndReported) {
  // The last value claims more bytes than the record has: the walk reports the record and goes on.
  const auto d = damage([](uint8_t* subs) {
    const uint32_t count = evtx::le32(subs);
    subs[4 + 4 * (count - 1)] = 0xff;
    subs[4 + 4 * (count - 1) + 1] = 0xff;
  });
  Counts n;
  expect_same_as_walk(d.bytes, "cut substitution array", n);
  size_t got = 0;
  const auto chunk = chunk_of(d.bytes, 0, got);
  evtx::ChunkDecoder fast("x", about_activation());
  const auto result = fast.decode(chunk.data(), got, 1);
  bool reported = false;
  for (const auto& p : result.problems)
    reported |= p.where.position == d.position && p.message.find("record skipped") != std::string::npos;
  EXPECT_TRUE(reported);
  EXPECT_EQ(result.positions, result.events.size() + 1);  // every other record still read
}

// The first record of many_chunks' first chunk about activation whose event template and EventData
// template were both defined by earlier records; the chunk offset of its EventData instance's substitution
// array (the count).
uint32_t record_payload_subs(const std::vector<uint8_t>& chunk, uint64_t& position) {
  return find_record<Record>(chunk, position, [&chunk](uint32_t at) -> uint32_t {
    if (evtx::le32(chunk.data() + at + 6) == at + 10) return 0;
    const uint32_t count = evtx::le32(chunk.data() + at + 10);
    uint32_t value = at + 14 + 4 * count;
    for (uint32_t i = 0; i < count; ++i) {
      const uint8_t* desc = chunk.data() + at + 14 + 4 * i;
      if (desc[2] == evtx::vt::kBinXml) {  // EventData: fragment header, then its template instance
        const uint32_t inner = value + 4;
        return evtx::le32(chunk.data() + inner + 6) != inner + 10 ? inner + 10 : 0;
      }
      value += evtx::le16(desc);
    }
    return 0;
  });
}

// Changes the first EventData value of that record and checks the result against the walk; returns how
// many records of chunk 1 were read whole.
uint64_t read_whole_after(void (*change)(uint8_t* subs), const char* label) {
  std::string bytes = file_bytes(fixture("many_chunks"));
  size_t got = 0;
  uint64_t position = 0;
  const uint32_t subs = record_payload_subs(chunk_of(bytes, 0, got), position);
  change(reinterpret_cast<uint8_t*>(bytes.data()) + evtx::kFileHeaderSize + subs);
  Counts n;
  expect_same_as_walk(bytes, label, n);
  const auto chunk = chunk_of(bytes, 0, got);
  evtx::ChunkDecoder fast("x", about_activation());
  return fast.decode(chunk.data(), got, 1).shortcut_records;
}

uint64_t read_whole_in_chunk_1() {
  return read_whole_after([](uint8_t*) {}, "as generated");
}

TEST(TemplateShortcut, DataItemsOfOtherTypesOrNullAreReadAsTheWalkReadsThem) {
  const uint64_t sound = read_whole_in_chunk_1();
  EXPECT_GT(sound, 10u);
  // A null content: an optional item is left out, a required one is empty; the two agree with the walk.
  EXPECT_EQ(read_whole_after([](uint8_t* subs) { subs[4 + 2] = evtx::vt::kNull; }, "null Data"), sound);
  // The same bytes as another type: read as that type.
  EXPECT_EQ(read_whole_after([](uint8_t* subs) { subs[4 + 2] = evtx::vt::kBinary; }, "binary Data"), sound);
  // As a string array: an item per string.
  EXPECT_EQ(
      read_whole_after([](uint8_t* subs) { subs[4 + 2] = evtx::vt::kString | evtx::vt::kArray; }, "string array Data"),
      sound);
  // An array of a type with no items the walk can step through: one empty item.
  EXPECT_EQ(
      read_whole_after([](uint8_t* subs) { subs[4 + 2] = evtx::vt::kBinary | evtx::vt::kArray; }, "binary array Data"),
      sound);
}

TEST(TemplateShortcut, EmbeddedDocumentInsideEventDataIsWalked) {
  const uint64_t sound = read_whole_in_chunk_1();
  // A Data value that is itself a document: only the walk expands it (here it is damage, reported).
  EXPECT_EQ(read_whole_after([](uint8_t* subs) { subs[4 + 2] = evtx::vt::kBinXml; }, "BinXml Data"), sound - 1);
}

}  // namespace
}  // namespace kmsdiag
