// The central directory read from the stream (issue 10 item 17, for zips on pipes and inside zips): entries
// with their sizes (ZIP64 ones from the extra field), the directory the stream ends with rather than one
// stored inside a member, and damage said where it is.
#include "ingest/zip_central_directory.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kmsdiag {
namespace {

std::string le(uint64_t v, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(v >> (8 * i)));
  return s;
}

// One directory entry: the fixed 46 bytes (signature, sizes at 20 and 24, lengths at 28-33), then the name
// and extra field.
std::string entry(const std::string& name, uint32_t size, const std::string& extra = "") {
  std::string e = "PK\x01\x02" + std::string(16, '\0') + le(size, 4) + le(size, 4) + le(name.size(), 2) +
                  le(extra.size(), 2) + le(0, 2) + std::string(12, '\0');
  EXPECT_EQ(e.size(), 46u);
  return e + name + extra;
}

std::string end_record(size_t entries, const std::string& comment = "") {
  return "PK\x05\x06" + std::string(4, '\0') + le(entries, 2) + le(entries, 2) + std::string(8, '\0') +
         le(comment.size(), 2) + comment;
}

CentralDirectory read(const std::string& stream, size_t split = 0) {
  MemorySource rest("t", std::string_view(stream).substr(split));
  return read_central_directory(std::string_view(stream).substr(0, split), rest, 100);
}

TEST(ZipCentralDirectory, EntriesAndSizesWhereverTheHeldBytesEnd) {
  const std::string zip64_extra = le(0x0001, 2) + le(8, 2) + le(5'000'000'000ULL, 8);
  const std::string dir = entry("a.xml", 10) + entry("big.evtx", 0xFFFFFFFFu, zip64_extra) +
                          entry("no-size", 0xFFFFFFFFu) + end_record(3, "a comment");
  for (size_t split = 0; split <= dir.size(); split += 7) {
    const CentralDirectory d = read(dir, split);
    ASSERT_TRUE(d.found);
    EXPECT_EQ(d.damage, "");
    ASSERT_EQ(d.entries.size(), 3u);
    EXPECT_EQ(d.entries[0].stored_name, "a.xml");
    EXPECT_EQ(d.entries[0].size, 10);
    EXPECT_EQ(d.entries[1].size, 5'000'000'000LL);
    EXPECT_EQ(d.entries[2].size, -1);
  }
}

TEST(ZipCentralDirectory, TheDirectoryTheStreamEndsWithIsTheOne) {
  const std::string inner = entry("x.xml", 1) + end_record(1);
  const std::string outer = entry("a.xml", 2) + entry("in.zip", 3) + end_record(2);
  // Streaming stopped at the inner directory (stored in a member): the outer one follows.
  CentralDirectory d = read(inner + "more member data" + outer);
  ASSERT_EQ(d.entries.size(), 2u);
  EXPECT_EQ(d.entries[1].stored_name, "in.zip");
  // Streaming stopped in a member's data: searched for.
  d = read("data PK\x01 data" + outer);
  ASSERT_EQ(d.entries.size(), 2u);
  // Bytes after the end record (an appended signature, say): the directory is still the last sound one.
  d = read(outer + "trailing bytes");
  ASSERT_EQ(d.entries.size(), 2u);
  EXPECT_EQ(d.damage, "");
  // An empty zip's directory is its end record alone.
  d = read(end_record(0));
  EXPECT_TRUE(d.found);
  EXPECT_TRUE(d.entries.empty());
  EXPECT_EQ(d.damage, "");
}

TEST(ZipCentralDirectory, DamageAndAbsenceAreSaid) {
  const std::string dir = entry("a.xml", 2) + entry("b.xml", 3) + end_record(2);
  CentralDirectory d = read(dir.substr(0, dir.size() - 10));  // cut inside the end record: the entries are whole
  EXPECT_EQ(d.entries.size(), 2u);
  EXPECT_EQ(d.damage, "");
  d = read(dir.substr(0, 46 + 5 + 20));  // inside the second entry
  EXPECT_EQ(d.entries.size(), 1u);
  EXPECT_EQ(d.damage, "the input ends inside it");
  d = read(entry("a.xml", 2) + "garbage where the next entry should be");
  EXPECT_EQ(d.entries.size(), 1u);
  EXPECT_EQ(d.damage, "no directory entry where one should begin");
  d = read("no directory at all");
  EXPECT_FALSE(d.found);
  d = read("");
  EXPECT_FALSE(d.found);
}

}  // namespace
}  // namespace kmsdiag
