// find_substring (the event XML scanner's search, issue 10) must answer exactly as std::string_view::find:
// needles at every offset of a 16-byte block and across block edges, in the tail the vector loop leaves,
// near misses that share the first and last byte, and needles of 1 to 40 bytes. count_char as std::count.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <random>
#include <string>

#include "ingest/byte_scan.hpp"

namespace kmsdiag {
namespace {

TEST(ByteScan, AgreesWithStringViewFindEverywhere) {
  std::mt19937 gen(11);
  for (int round = 0; round < 3000; ++round) {
    // A small alphabet makes partial matches (first and last byte equal, middle not) common.
    const size_t n = gen() % 200, k = 1 + gen() % 12;
    std::string hay(n, 'a'), needle(k, 'a');
    for (char& c : hay) c = static_cast<char>('a' + gen() % 3);
    for (char& c : needle) c = static_cast<char>('a' + gen() % 3);
    for (size_t from = 0; from <= n; from += 1 + gen() % 7) {
      const std::string_view h = std::string_view(hay).substr(from);
      ASSERT_EQ(find_substring(h, needle), h.find(needle)) << "hay " << h << " needle " << needle;
    }
  }
}

TEST(ByteScan, EventNameAtEveryOffsetAndNearMisses) {
  for (size_t at = 0; at < 70; ++at) {
    for (size_t tail = 0; tail < 20; ++tail) {
      std::string hay = std::string(at, '<') + "Event" + std::string(tail, '>');
      EXPECT_EQ(find_substring(hay, "Event"), at);
      hay = std::string(at, ' ') + "Evert Evenx EVENT Event_" + std::string(tail, ' ');  // first/last byte traps
      EXPECT_EQ(find_substring(hay, "Event"), at + 18);
      hay[at + 18] = 'e';
      EXPECT_EQ(find_substring(hay, "Event"), std::string_view::npos);
    }
  }
  EXPECT_EQ(find_substring("", "Event"), std::string_view::npos);
  EXPECT_EQ(find_substring("Even", "Event"), std::string_view::npos);
  EXPECT_EQ(find_substring("abc", ""), 0u);
  const std::string with_nul("x\0Event\0", 8);
  EXPECT_EQ(find_substring(with_nul, "Event"), 2u);
  const std::string long_needle(40, 'q');
  EXPECT_EQ(find_substring(std::string(100, 'q'), long_needle), 0u);
  EXPECT_EQ(find_substring(std::string(39, 'q'), long_needle), std::string_view::npos);
}

// find_tag_name as the plain definition: each "Event" in turn, kept when the byte after it ends a tag name
// or is not there. The alphabet mixes the name's letters with every kind of byte after it: the ones that end
// a name, others below '!' and from 0x80 (which the vector loop lets through to be checked), and letters.
TEST(ByteScan, FindTagNameAgreesWithTheDefinition) {
  const std::string alphabet = std::string("Eventx >/\t\n\r\x01\x80\xff<") + '\0';
  const auto want = [](std::string_view h) {
    for (size_t at = h.find("Event"); at != std::string_view::npos; at = h.find("Event", at + 1)) {
      const size_t after = at + 5;
      if (after == h.size() || std::string_view(" \t\n\r>/").find(h[after]) != std::string_view::npos) return at;
    }
    return std::string_view::npos;
  };
  std::mt19937 gen(17);
  for (int round = 0; round < 5000; ++round) {
    std::string hay(gen() % 120, 'x');
    for (char& c : hay) c = alphabet[gen() % alphabet.size()];
    for (int planted = static_cast<int>(gen() % 4); planted > 0 && hay.size() >= 6; --planted) {
      const size_t at = gen() % (hay.size() - 5);
      hay.replace(at, 5, "Event");
    }
    for (size_t from = 0; from <= hay.size(); from += 1 + gen() % 9) {
      const std::string_view h = std::string_view(hay).substr(from);
      ASSERT_EQ(find_tag_name(h, "Event"), want(h)) << testing::PrintToString(std::string(h));
    }
  }
  EXPECT_EQ(find_tag_name("<EventData><EventID>1</EventID></Event>", "Event"), 33u);
  EXPECT_EQ(find_tag_name("</Even", "Event"), std::string_view::npos);
  EXPECT_EQ(find_tag_name("</Event", "Event"), 2u);  // the deciding byte is not read yet
}

TEST(ByteScan, CountCharAgreesWithStdCount) {
  std::mt19937 gen(5);
  for (int round = 0; round < 2000; ++round) {
    std::string text(round % 10 == 0 ? 4096 + gen() % 5000 : gen() % 100, 'a');  // past 255 blocks, too
    for (char& c : text) c = static_cast<char>(gen() % 4 == 0 ? '<' : (gen() % 2 ? '\x80' : 'x'));
    for (size_t from = 0; from <= text.size(); from += 1 + gen() % (text.size() > 100 ? 500 : 5)) {
      const std::string_view t = std::string_view(text).substr(from);
      ASSERT_EQ(count_char(t, '<'), static_cast<size_t>(std::count(t.begin(), t.end(), '<')));
      ASSERT_EQ(count_char(t, '\x80'), static_cast<size_t>(std::count(t.begin(), t.end(), '\x80')));
    }
  }
}

// The byte at every offset of texts shorter and longer than a block, and absent, as memchr finds it.
TEST(ByteScan, FindByteAgreesWithMemchr) {
  for (size_t len = 0; len <= 40; ++len) {
    std::string text(len, 'x');
    for (size_t at = 0; at <= len; ++at) {
      std::string t = text;
      if (at < len) t[at] = '<';
      for (size_t from = 0; from <= len; ++from) {
        const char* want = static_cast<const char*>(std::memchr(t.data() + from, '<', len - from));
        ASSERT_EQ(find_byte(t.data() + from, t.data() + len, '<'), want) << len << " " << at << " " << from;
      }
    }
  }
}

// Two stops, each at every offset, the first one found whichever it is; `end` when neither is there.
TEST(ByteScan, FindFirstOfAgreesWithFindFirstOf) {
  for (size_t len = 0; len <= 40; ++len)
    for (size_t a = 0; a <= len; ++a)
      for (size_t b = 0; b <= len; b += 3) {
        std::string t(len, 'x');
        if (a < len) t[a] = '<';
        if (b < len) t[b] = '\0';
        const size_t want = std::string_view(t).find_first_of(std::string_view("<\0", 2));
        const char* got = find_first_of(t.data(), t.data() + len, std::array{'<', '\0'});
        ASSERT_EQ(got, want == std::string_view::npos ? t.data() + len : t.data() + want)
            << len << " " << a << " " << b;
      }
}

// A difference at every offset of pieces shorter and longer than a block, with the compared text ending right
// after the piece (no block to read past it there) or going on.
TEST(ByteScan, SameBytesAgreesWithMemcmp) {
  std::string piece(40, 'p');
  piece.append(16, '\0');  // the padding same_bytes() may read
  for (size_t n = 0; n <= 40; ++n)
    for (const size_t tail : {size_t{0}, size_t{20}})
      for (size_t diff = 0; diff <= n; ++diff) {
        std::string t = std::string(n, 'p') + std::string(tail, 'q');
        if (diff < n) t[diff] = 'd';
        const bool want = std::memcmp(t.data(), piece.data(), n) == 0;
        ASSERT_EQ(same_bytes(t.data(), t.data() + t.size(), piece.data(), n), want) << n << " " << tail << " " << diff;
      }
}

// Every byte value at every offset of runs longer and shorter than a block, against a byte at a time.
TEST(ByteScan, AsciiNameRunAgreesWithAByteAtATime) {
  const auto expected = [](std::string_view t) {
    NameRun r{0, std::string_view::npos};
    for (; r.length < t.size(); ++r.length) {
      const unsigned char c = static_cast<unsigned char>(t[r.length]);
      if (!(std::isalnum(c) && c < 0x80) && c != '_' && c != ':' && c != '.' && c != '-') break;
      if (c == ':') r.last_colon = r.length;
    }
    return r;
  };
  std::mt19937 gen(7);
  const std::string names = "aZz09_:.-Mq";
  for (const size_t len : {0u, 1u, 5u, 15u, 16u, 17u, 31u, 32u, 40u}) {
    std::string text(len + 20, 'x');
    for (char& c : text) c = names[gen() % names.size()];
    for (size_t at = 0; at <= len; ++at)
      for (int b = 0; b < 256; ++b) {
        std::string t = text.substr(0, len);
        if (at < len) t[at] = static_cast<char>(b);
        const NameRun got = ascii_name_run(t.data(), t.data() + t.size()), want = expected(t);
        ASSERT_EQ(got.length, want.length) << "len " << len << " at " << at << " byte " << b;
        ASSERT_EQ(got.last_colon, want.last_colon) << "len " << len << " at " << at << " byte " << b;
      }
  }
}

}  // namespace
}  // namespace kmsdiag
