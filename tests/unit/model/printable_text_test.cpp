// Names from the input printed anywhere (terminal, stderr, JSON) go through printable(): no control
// character reaches a terminal, no byte that is not UTF-8 reaches the JSON writer.
#include "model/printable_text.hpp"

#include <gtest/gtest.h>

#include <map>

#include "model/analysis.hpp"
#include "model/record.hpp"

namespace kmsdiag {
namespace {

TEST(PrintableText, ControlCharactersAndBytesThatAreNotUtf8AreEscaped) {
  EXPECT_EQ(printable("PC1/app.xml"), "PC1/app.xml");
  EXPECT_EQ(printable("日本語/ログ.xml"), "日本語/ログ.xml");
  EXPECT_EQ(printable("esc\x1b[31mred\nkmsdiag: forged"), "esc\\x1b[31mred\\x0akmsdiag: forged");
  EXPECT_EQ(printable("caf\xe9.xml"), "caf\\xe9.xml");  // Latin-1
  EXPECT_EQ(printable("\xc2\x9b"
                      "2J"),
            "\\u009b2J");                                                 // C1 CSI
  EXPECT_EQ(printable("evil\xe2\x80\xaegpj.exe"), "evil\\u202egpj.exe");  // right-to-left override
  EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");                         // overlong '/'
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");                // surrogate
  EXPECT_EQ(printable("del\x7f"), "del\\x7f");
}

TEST(PrintableText, ApplyingItTwiceChangesNothing) {
  const std::string once = printable(
      "a\x1b\xff\xe2\x80\xae"
      "b");
  EXPECT_EQ(printable(once), once);
  EXPECT_TRUE(valid_utf8(once));
  EXPECT_FALSE(valid_utf8("caf\xe9"));
}

// A problem line is one line whatever its path or message holds: a newline cannot forge a second one.
TEST(PrintableText, ProblemLinesArePrintable) {
  const Problem p{{"bundle.zip!a\nkmsdiag: b.xml", "line", 3, ""}, "bad \x1b[2J"};
  EXPECT_EQ(p.describe(), "bundle.zip!a\\x0akmsdiag: b.xml:3: bad \\x1b[2J");
}

// Two million channels named once each must not make two million map entries.
TEST(IgnoredKinds, CountedByNameUpToACapThenAsOther) {
  std::map<std::string, uint64_t> kinds;
  for (size_t i = 0; i < kMaxIgnoredKinds + 500; ++i) count_ignored(kinds, "Channel-" + std::to_string(i));
  count_ignored(kinds, "Channel-0", 2);
  EXPECT_EQ(kinds.size(), kMaxIgnoredKinds + 1);
  EXPECT_EQ(kinds[std::string(kOtherIgnoredKinds)], 500u);
  EXPECT_EQ(kinds["Channel-0"], 3u);
}

// A unit's capped count merged into the analysis's names as many kinds as the unit did: its
// "(other kinds)", which sorts first, takes no name's place.
TEST(IgnoredKinds, MergingACappedCountKeepsEveryName) {
  std::map<std::string, uint64_t> unit, analysis;
  for (size_t i = 0; i < kMaxIgnoredKinds + 5; ++i) count_ignored(unit, "Channel-" + std::to_string(i));
  for (const auto& [kind, n] : unit) count_ignored(analysis, kind, n);
  EXPECT_EQ(analysis.size(), kMaxIgnoredKinds + 1);
  EXPECT_EQ(analysis[std::string(kOtherIgnoredKinds)], 5u);
  EXPECT_EQ(analysis, unit);
}

}  // namespace
}  // namespace kmsdiag
