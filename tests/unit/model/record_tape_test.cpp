#include "model/record_tape.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kmsdiag {
namespace {

std::vector<std::string> fields_of(const Record& r) {
  std::vector<std::string> out;
  for (const FieldView& f : r.fields) out.push_back(std::string(f.key) + "=" + std::string(f.value));
  return out;
}

Record fact(std::string kind, std::string path, uint64_t position, int64_t time_ms, size_t fields) {
  Record r;
  r.kind = std::move(kind);
  r.source = {std::move(path), "record", position, std::to_string(position * 10)};
  r.time_ms = time_ms;
  r.machine = "PC-" + std::to_string(position) + ".corp.contoso.com";
  for (size_t i = 0; i < fields; ++i) r.fields.append("key" + std::to_string(i), std::string(i, 'v'));
  r.fields.append("key0", "repeated keys stay");
  return r;
}

// Everything a record holds comes back, in order, whatever the record read back before it held: a
// long record then a short one, an undated one, one with enough fields to be indexed, empty texts.
TEST(RecordTape, ReadsBackEveryRecordExactlyIntoOneReusedRecord) {
  std::vector<Record> written = {
      fact("kms.host-request", "logs/Key Management Service.evtx", 1, 1'700'000'000'123, 40),
      fact("kms.client-request", "b.zip!Application.evtx", 2, kNoTime, 2),
      fact("", "", 0, kEarliestTimeMs, 0),
      fact("license.state", std::string(70'000, 'p'), 1ULL << 40, -5, 3),
  };
  RecordTape tape;
  EXPECT_TRUE(tape.empty());
  for (const Record& r : written) tape.push(r);
  EXPECT_FALSE(tape.empty());

  Record out;
  out.set("stale", "from before");
  for (const Record& r : written) {
    ASSERT_TRUE(tape.next(out));
    EXPECT_EQ(out.kind, r.kind);
    EXPECT_EQ(out.source.path, r.source.path);
    EXPECT_EQ(out.source.unit, r.source.unit);
    EXPECT_EQ(out.source.position, r.source.position);
    EXPECT_EQ(out.source.record_id, r.source.record_id);
    EXPECT_EQ(out.time_ms, r.time_ms);
    EXPECT_EQ(out.machine, r.machine);
    EXPECT_EQ(fields_of(out), fields_of(r));
    EXPECT_EQ(out.fields, r.fields);
    // Lookups work, the key index of a long record included: the first of a repeated key, the last key.
    EXPECT_EQ(out.get("key1"), r.get("key1"));
    EXPECT_EQ(out.get("key0"), r.get("key0"));
    EXPECT_EQ(out.find("key39"), r.find("key39"));
  }
  EXPECT_FALSE(tape.next(out));
}

// A tape cleared after it was read, half-read or not read at all starts over: the next part it serves
// reads back only its own records, from the first.
TEST(RecordTape, ClearedTapeReadsBackOnlyWhatWasPushedSince) {
  RecordTape tape;
  Record out;
  for (int read_before_clear : {2, 1, 0}) {
    for (uint64_t i = 1; i <= 2; ++i) tape.push(fact("old", "old.evtx", i, 1, 3));
    for (int i = 0; i < read_before_clear; ++i) ASSERT_TRUE(tape.next(out));
    tape.clear();
    EXPECT_TRUE(tape.empty());
    EXPECT_FALSE(tape.next(out));
    tape.push(fact("new", "new.evtx", 7, 2, 1));
    ASSERT_TRUE(tape.next(out));
    EXPECT_EQ(out.kind, "new");
    EXPECT_EQ(out.source.position, 7u);
    EXPECT_EQ(fields_of(out), fields_of(fact("new", "new.evtx", 7, 2, 1)));
    EXPECT_FALSE(tape.next(out));
    tape.clear();
  }
}

}  // namespace
}  // namespace kmsdiag
