#include "ingest/text_decoder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "event_text_test_support.hpp"

namespace kmsdiag::testing {
namespace {

constexpr const char* kNs = "http://schemas.microsoft.com/win/2004/08/events/event";

std::string event_xml(int record_id, std::string_view data) {
  return std::string("<Event xmlns=\"") + kNs +
         "\"><System><Provider Name=\"Microsoft-Windows-Security-SPP\"/><EventID>12288</EventID>"
         "<TimeCreated SystemTime=\"2024-03-15T10:00:00Z\"/><EventRecordID>" +
         std::to_string(record_id) + "</EventRecordID><Channel>Application</Channel><Computer>pc01</Computer>" +
         "</System><EventData><Data>" + std::string(data) + "</Data></EventData></Event>\n";
}

// A lone surrogate is one bad UTF-16 code unit: it becomes U+FFFD and the text after it is read in step.
TEST(TextDecoder, LoneUtf16SurrogateIsReplacedInStep) {
  std::string utf16 = encode("abc", "UTF-16LE");
  utf16 += std::string("\x00\xD8", 2);  // U+D800 with no low surrogate after it
  utf16 += encode("def\nghi", "UTF-16LE");
  EXPECT_EQ(to_utf8(utf16, "utf-16le"),
            "abc\xEF\xBF\xBD"
            "def\nghi");
  std::string be = encode("abc", "UTF-16BE") + std::string("\xDC\x00", 2) + encode("def", "UTF-16BE");
  EXPECT_EQ(to_utf8(be, "utf-16be"),
            "abc\xEF\xBF\xBD"
            "def");
}

TEST(TextDecoder, BadUtf16UnitInEventXmlKeepsTheRestAndSaysWhere) {
  const std::string first = event_xml(1, "0x0"), second = event_xml(2, "after");
  const std::string bytes =
      std::string("\xFF\xFE", 2) + encode(first, "UTF-16LE") + std::string("\x00\xD8", 2) + encode(second, "UTF-16LE");
  InputSummary summary;
  const Collected out = ingest_bytes(bytes, summary, "app.xml");
  EXPECT_EQ(summary.encoding, "utf-16le");
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[1].get("data.0"), "after");
  ASSERT_EQ(out.problems.size(), 2u);  // the reader's "not event XML" byte, and the decoder's
  EXPECT_EQ(out.problems[1].describe(),
            "app.xml:2: byte " + std::to_string(2 + 2 * first.size()) +
                ": 1 code unit that is not UTF-16 text (a lone surrogate or a cut unit) read as U+FFFD");
}

// One NUL or invalid byte in a text file is damage, not a sign the file is binary.
TEST(TextDecoder, FewBadBytesLeaveUtf8TextReadable) {
  std::string head = event_xml(1, "0x0") + std::string(1, '\0') + event_xml(2, "bad \xFF byte");
  EXPECT_EQ(detect_encoding(head), "utf-8");
  InputSummary summary;
  const Collected out = ingest_bytes(head, summary, "app.xml");
  EXPECT_EQ(summary.encoding, "utf-8");
  EXPECT_EQ(summary.format, "event-xml");
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[1].get("data.0"), "bad \xEF\xBF\xBD byte");
  ASSERT_FALSE(out.problems.empty());
  EXPECT_EQ(out.problems.back().describe(),
            "app.xml:2: byte " + std::to_string(event_xml(1, "0x0").size()) +
                ": 2 bytes that are not utf-8 text (a NUL or an invalid sequence, the first here) read as U+FFFD");
}

TEST(TextDecoder, BinaryStaysBinary) {
  std::string noise;
  for (int i = 0; i < 5000; ++i) noise.push_back(static_cast<char>((i * 37 + i / 7) % 256));
  EXPECT_EQ(detect_encoding(noise), "binary");
  // A share of NULs well past damage: binary even when the rest is ASCII.
  std::string padded = event_xml(1, "x");
  padded += std::string(padded.size() / 10, '\0');
  EXPECT_EQ(detect_encoding(padded), "binary");
}

// The check is streaming: a multi-byte character cut by a block boundary is not damage.
TEST(TextDecoder, Utf8CutAcrossBlocksIsNotDamage) {
  std::string text(64 * 1024 - 1, 'a');
  text += "\xE4\xBD\xA0 ok";  // 你 across the 64 KiB block boundary
  MemorySource src("t", text);
  auto utf8 = make_utf8_source(src, "utf-8");
  std::string out;
  char buf[4096];
  while (const size_t n = utf8->read(buf, sizeof buf)) out.append(buf, n);
  EXPECT_EQ(out, text);
  EXPECT_EQ(utf8->damage().units, 0u);
}

// Reads at most `step` bytes at a time, as a pipe may.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string_view data, size_t step) : data_(data), step_(step) {}
  size_t read(char* buf, size_t n) override {
    const size_t k = std::min({n, step_, data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  const std::string& path() const override { return path_; }

 private:
  std::string path_ = "t";
  std::string_view data_;
  size_t step_, pos_ = 0;
};

std::string read_all(Utf8Source& in) {
  std::string out;
  char buf[777];
  while (const size_t n = in.read(buf, sizeof buf)) out.append(buf, n);
  return out;
}

// The check skips plain ASCII many bytes at a time (issue 10): a bad byte, a NUL or a multi-byte
// character at any offset of such a stride, in reads of any size, is found exactly where it is.
TEST(TextDecoder, DamageAndCharactersAtEveryOffsetOfTheAsciiStride) {
  const std::string plain(70, 'x');
  for (size_t at = 0; at < plain.size(); ++at) {
    for (const size_t step : {size_t{1}, size_t{5}, size_t{64} << 10}) {
      for (const std::string_view bad : {std::string_view("\xFF"), std::string_view("\0", 1)}) {
        std::string text = plain;
        text.replace(at, 1, bad);
        TrickleSource src(text, step);
        auto utf8 = make_utf8_source(src, "utf-8");
        std::string want = plain;
        want.replace(at, 1, "\xEF\xBF\xBD");
        EXPECT_EQ(read_all(*utf8), want) << "at " << at << " step " << step;
        EXPECT_EQ(utf8->damage().units, 1u) << "at " << at << " step " << step;
      }
      std::string text = plain;
      text.insert(at, "\xE4\xBD\xA0");  // 你
      TrickleSource src(text, step);
      auto utf8 = make_utf8_source(src, "utf-8");
      EXPECT_EQ(read_all(*utf8), text) << "at " << at << " step " << step;
      EXPECT_EQ(utf8->damage().units, 0u);
    }
  }
}

// Reads of a few KiB or more are checked in place in the caller's buffer (issue 10): whatever the reads bring,
// such reads give the same text and the same damage, at the same byte and line, as small reads do.
TEST(TextDecoder, LargeReadsCheckedInPlaceSayWhatSmallReadsSay) {
  std::string text, want;
  for (int line = 1; text.size() < 20'000; ++line) {
    std::string l = "line " + std::to_string(line) + (line % 7 == 0 ? " \xE4\xBD\xA0\n" : "\n");  // 你 now and then
    if (line == 900) l.insert(3, "\xFF");                                                         // damage
    if (line == 1200) l.insert(2, std::string_view("\0", 1));
    text += l;
  }
  want = text;
  want.replace(want.find('\xFF'), 1, "\xEF\xBF\xBD");
  want.replace(want.find('\0'), 1, "\xEF\xBF\xBD");
  const uint64_t bad_byte = text.find('\xFF');
  const auto bad_line =
      static_cast<uint64_t>(std::count(text.begin(), text.begin() + static_cast<long>(bad_byte), '\n') + 1);
  for (const size_t step : {size_t{1}, size_t{7}, size_t{5000}, size_t{64} << 10}) {
    for (const size_t buf_size : {size_t{777}, size_t{4096}, size_t{64} << 10}) {
      TrickleSource src(text, step);
      auto utf8 = make_utf8_source(src, "utf-8");
      std::string out;
      std::vector<char> buf(buf_size);
      while (const size_t n = utf8->read(buf.data(), buf.size())) out.append(buf.data(), n);
      EXPECT_EQ(out, want) << "step " << step << " reads of " << buf_size;
      EXPECT_EQ(utf8->damage().units, 2u) << "step " << step << " reads of " << buf_size;
      EXPECT_EQ(utf8->damage().first_byte, bad_byte) << "step " << step << " reads of " << buf_size;
      EXPECT_EQ(utf8->damage().first_line, bad_line) << "step " << step << " reads of " << buf_size;
    }
  }
}

// A BOM is dropped however the reads cut it, including reads that bring only part of it.
TEST(TextDecoder, ByteOrderMarkCutByReadsIsDropped) {
  const std::string text = "\xEF\xBB\xBF<Event/>\xE4\xBD\xA0";
  for (size_t step = 1; step <= text.size(); ++step) {
    TrickleSource src(text, step);
    auto utf8 = make_utf8_source(src, "utf-8-bom");
    EXPECT_EQ(read_all(*utf8), text.substr(3)) << "step " << step;
    EXPECT_EQ(utf8->damage().units, 0u);
  }
  TrickleSource only_bom(std::string_view(text).substr(0, 3), 1);
  EXPECT_EQ(read_all(*make_utf8_source(only_bom, "utf-8-bom")), "");
}

}  // namespace
}  // namespace kmsdiag::testing
