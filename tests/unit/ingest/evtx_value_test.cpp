#include "ingest/evtx_value.hpp"

#include <gtest/gtest.h>

#include "ingest/evtx_framing.hpp"

namespace kmsdiag::evtx {
namespace {

std::string render(uint8_t type, std::initializer_list<uint8_t> bytes) {
  const std::vector<uint8_t> b(bytes);
  std::string out;
  if (!append_value(out, Value{type, b.data(), static_cast<uint32_t>(b.size())})) return "<bad>";
  return out;
}

TEST(EvtxValue, Utf16WithSurrogatesAndTrailingNul) {
  // "A", U+00E9, U+1F600 (surrogate pair), NUL, "B" (after the NUL: not shown)
  EXPECT_EQ(render(vt::kString, {'A', 0, 0xE9, 0, 0x3D, 0xD8, 0x00, 0xDE, 0, 0, 'B', 0}), "A\u00e9\U0001F600");
  EXPECT_EQ(render(vt::kString, {0x00, 0xD8, 'x', 0}), "\uFFFDx");  // lone surrogate
}

TEST(EvtxValue, IntegersAndHex) {
  EXPECT_EQ(render(vt::kInt8, {0xFB}), "-5");
  EXPECT_EQ(render(vt::kUInt16, {0x00, 0x30}), "12288");
  EXPECT_EQ(render(vt::kInt32, {0xFF, 0xFF, 0xFF, 0xFF}), "-1");
  EXPECT_EQ(render(vt::kHexInt32, {0x74, 0xF0, 0x04, 0xC0}), "0xc004f074");
  EXPECT_EQ(render(vt::kSizeT, {0x10, 0, 0, 0}), "0x00000010");
  EXPECT_EQ(render(vt::kUInt32, {1, 2, 3}), "<bad>");  // wrong size for the type
  EXPECT_EQ(render(vt::kBool, {0, 0, 0, 0}), "false");
}

TEST(EvtxValue, TimesGuidSidBinary) {
  // 2023-05-24T01:21:11.2292163Z as FILETIME
  const uint64_t ft = (1684891271ULL + 11644473600ULL) * 10000000ULL + 2292163ULL;
  std::vector<uint8_t> b(8);
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(ft >> (8 * i));
  std::string out;
  ASSERT_TRUE(append_value(out, Value{vt::kFileTime, b.data(), 8}));
  EXPECT_EQ(out, "2023-05-24T01:21:11.2292163Z");
  EXPECT_EQ(value_time_ms(Value{vt::kFileTime, b.data(), 8}), 1684891271229);
  EXPECT_EQ(render(vt::kGuid,
                   {0x58, 0x07, 0x2F, 0xD0, 0xF9, 0x43, 0x09, 0x48, 0x98, 0x21, 0xE8, 0x4E, 0xDB, 0x81, 0x0C, 0xBE}),
            "{D02F0758-43F9-4809-9821-E84EDB810CBE}");
  EXPECT_EQ(render(vt::kSid, {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0}), "S-1-5-18");
  EXPECT_EQ(render(vt::kSid, {1, 3, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0}), "<bad>");  // claims 3 sub-authorities
  EXPECT_EQ(render(vt::kBinary, {0xDE, 0xAD}), "DEAD");
  EXPECT_EQ(render(vt::kSysTime, {0xE8, 0x07, 3, 0, 2, 0, 5, 0, 8, 0, 9, 0, 10, 0, 123, 0}),
            "2024-03-05T08:09:10.123Z");
}

TEST(EvtxValue, Arrays) {
  EXPECT_EQ(render(vt::kString | vt::kArray, {'a', 0, 0, 0, 'b', 0, 'c', 0, 0, 0}), "a,bc");
  EXPECT_EQ(render(vt::kUInt16 | vt::kArray, {1, 0, 2, 0}), "1,2");
  EXPECT_EQ(render(vt::kUInt16 | vt::kArray, {1, 0, 2}), "<bad>");
  const std::vector<uint8_t> b{'x', 0, 0, 0, 'y', 0};
  uint32_t offset = 0;
  Value item;
  std::vector<std::string> items;
  while (next_array_item(Value{vt::kString | vt::kArray, b.data(), 6}, offset, item)) {
    items.emplace_back();
    append_value(items.back(), item);
  }
  EXPECT_EQ(items, (std::vector<std::string>{"x", "y"}));
}

// value_fits() answers what append_value() would, for every type and size: fixed types of the wrong size,
// SIDs too short for their count, arrays whose items do not fill them.
TEST(EvtxValue, FitsExactlyWhenTheTextCouldBeMade) {
  const std::vector<uint8_t> bytes = {1, 2, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0, 7, 0, 0, 0, 9, 9, 9, 9, 9};
  size_t fits = 0, checked = 0;
  for (unsigned type = 0; type < 0x100; ++type) {
    for (uint32_t size = 0; size <= bytes.size(); ++size) {
      if ((type & 0x7f) == vt::kBinXml) continue;  // the decoder expands those; never rendered
      const Value v{static_cast<uint8_t>(type), bytes.data(), size};
      std::string text;
      EXPECT_EQ(value_fits(v), append_value(text, v)) << "type " << type << " size " << size;
      fits += value_fits(v);
      ++checked;
    }
  }
  EXPECT_GT(fits, 0u);
  EXPECT_LT(fits, checked);
}

TEST(EvtxFraming, Crc32KnownValue) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32(reinterpret_cast<const uint8_t*>(s.data()), s.size()), 0xCBF43926u);
}

}  // namespace
}  // namespace kmsdiag::evtx
