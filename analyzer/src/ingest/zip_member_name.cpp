#include "ingest/zip_member_name.hpp"

#include "ingest/text_decoder.hpp"
#include "model/printable_text.hpp"

namespace kmsdiag {
namespace {

// Japanese text in UTF-8: CJK punctuation, kana (U+3000-U+30FF: E3 80-83 ..), kanji (U+4E00-U+9FFF:
// E4 B8 .. to E9 ..) or full- and half-width forms (U+FF00-U+FFEF: EF BC-BF ..).
bool has_japanese(std::string_view utf8) {
  for (size_t i = 0; i + 2 < utf8.size(); ++i) {
    const auto a = static_cast<unsigned char>(utf8[i]), b = static_cast<unsigned char>(utf8[i + 1]);
    if ((a == 0xE3 && b >= 0x80 && b <= 0x83) || (a == 0xE4 && b >= 0xB8) || (a >= 0xE5 && a <= 0xE9) ||
        (a == 0xEF && b >= 0xBC && b <= 0xBF))
      return true;
  }
  return false;
}

}  // namespace

std::string zip_member_name(std::string_view stored) {
  if (valid_utf8(stored)) return printable(stored);
  // CP437 decodes any bytes, CP932 only some: a CP932 reading that needs no replacement character and
  // yields Japanese is what a Japanese Windows wrote. Western names (accents, box drawing) fail one test.
  const std::string cp932 = to_utf8(stored, "cp932");
  if (cp932.find("\xEF\xBF\xBD") == std::string::npos && has_japanese(cp932)) return printable(cp932);
  return printable(to_utf8(stored, "cp437"));
}

}  // namespace kmsdiag
