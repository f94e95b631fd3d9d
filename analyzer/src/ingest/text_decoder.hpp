// Detects a text input's encoding from its first bytes and converts it to UTF-8 while streaming.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/byte_source.hpp"

namespace kmsdiag {

// "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "cp932", "gbk", or "binary" (not text at all).
// Text is told from binary by the share of bytes that are not text (NUL, other control bytes,
// invalid UTF-8), so a few damaged bytes do not make a text file binary. Legacy code pages are tried
// only when the head is not UTF-8: the one whose decoding contains the most of `known_labels` (the
// localized labels of the knowledge tables) wins; without any label found, UTF-8 with at most 1 %
// damaged bytes, else the first code page whose byte structure fits (CP932, then GBK).
std::string detect_encoding(std::string_view head, const std::vector<std::string_view>& known_labels = {});

// What decoding had to replace by U+FFFD: bytes that are not text in the detected encoding (invalid
// sequences, a lone UTF-16 surrogate, NUL in UTF-8 text).
struct DecodeDamage {
  uint64_t units = 0;       // replaced code units (bytes; 2-byte units in UTF-16)
  uint64_t first_byte = 0;  // input offset of the first, 0-based
  uint64_t first_line = 0;  // its 1-based line in the text
};

// A source yielding UTF-8, which says what it replaced once read.
class Utf8Source : public ByteSource {
 public:
  const DecodeDamage& damage() const { return damage_; }

 protected:
  DecodeDamage damage_;
};

// A source yielding UTF-8 for `inner` in `encoding` (BOM dropped). Undecodable units become U+FFFD
// and decoding goes on at the next unit, in step.
std::unique_ptr<Utf8Source> make_utf8_source(ByteSource& inner, const std::string& encoding);

// Whole-buffer convenience for detection heads and tests.
std::string to_utf8(std::string_view bytes, const std::string& encoding);

// The problem text for what a decoder replaced ("" when nothing was).
std::string describe_damage(const DecodeDamage& damage, const std::string& encoding);

}  // namespace kmsdiag
