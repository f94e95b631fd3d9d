// Scans of every byte of a big input, 16 bytes at a time (SSE2, part of every x86-64; a plain loop elsewhere).
// Finding a short string: the event XML scanner looks for every "Event" of a file, and glibc's memmem runs
// at about 2 GB/s on such needles, which made it the scanner's largest cost; testing 16 positions at once
// for the needle's first and last bytes and comparing the rest only where both match is several times
// faster on text. Counting a byte: the compiler leaves std::count a byte at a time at -O2 (7 instructions
// a byte). XML names: the event XML header scan reads every tag name of every event.
#pragma once

#include <cstddef>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kmsdiag {

// Offset of the first `needle` in `haystack`, or npos (an empty needle is found at 0).
size_t find_substring(std::string_view haystack, std::string_view needle);

// The first `c` in [p, end), or nullptr. Inline, for the short runs between an event's tags, where a call
// to memchr costs more than the search: 16 bytes at a time while 16 are left, then a byte at a time.
inline const char* find_byte(const char* p, const char* end, char c) {
#if defined(__SSE2__)
  const __m128i wanted = _mm_set1_epi8(c);
  for (; end - p >= 16; p += 16) {
    const auto hits = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), wanted)));
    if (hits != 0) return p + __builtin_ctz(hits);
  }
#endif
  for (; p != end; ++p)
    if (*p == c) return p;
  return nullptr;
}

// How many times `c` occurs in `text`.
size_t count_char(std::string_view text, char c);

// The ASCII XML name characters: letters, digits, '_', ':', '.', '-'. The one definition, for the event XML
// header scan's character classes too.
constexpr bool is_ascii_name_char(char c) {
  const char lower = static_cast<char>(c | 0x20);  // 'A'-'Z' onto 'a'-'z', and nothing else into that range
  return (lower >= 'a' && lower <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '.' || c == '-';
}

// The run of is_ascii_name_char() characters that `text` starts with: its length, and the offset of its last
// ':' (npos when it has none), where a qualified name's local part begins.
struct NameRun {
  size_t length;
  size_t last_colon;
};
NameRun ascii_name_run(std::string_view text);

}  // namespace kmsdiag
