// Scans of every byte of a big input, 16 bytes at a time (SSE2, part of every x86-64; a plain loop elsewhere;
// the tag search 32 at a time where the processor has AVX2). Finding a short string: glibc's memmem runs at
// about 2 GB/s on such needles; testing 16 positions at once for the needle's first and last bytes and
// comparing the rest only where both match is several times faster on text. Finding a tag name: the event
// XML scanner looks for the "Event" of every event's end tag, and tests the byte after each candidate too.
// Counting a byte: the compiler leaves std::count a byte at a time at -O2 (7 instructions a byte). XML
// names: the event XML header scan reads every tag name of every event.
#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kmsdiag {

// Offset of the first `needle` in `haystack`, or npos (an empty needle is found at 0).
size_t find_substring(std::string_view haystack, std::string_view needle);

// Offset of the first `name` (at least 2 bytes) in `haystack` that may be a whole tag name: followed by XML
// whitespace, '>' or '/', or by the end of `haystack` (where the byte that decides is not read yet); npos when
// there is none. The event XML scanner looks for its events' tags this way: "EventID", "EventData" and
// "EventRecordID", most of an event's "Event"s, are passed over in the vector loop, not returned one by one.
size_t find_tag_name(std::string_view haystack, std::string_view name);

// The first byte in [p, end) that is one of `stops`, or `end`: 16 bytes at a time while 16 are left, then a
// byte at a time. A few bytes at once: the event XML header scan looks for the end of a value and for what it
// cannot read in it in one pass.
template <size_t N>
inline const char* find_first_of(const char* p, const char* end, const std::array<char, N>& stops) {
#if defined(__SSE2__)
  for (; end - p >= 16; p += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit = _mm_cmpeq_epi8(block, _mm_set1_epi8(stops[0]));
    for (size_t k = 1; k < N; ++k) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(block, _mm_set1_epi8(stops[k])));
    const auto hits = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (hits != 0) return p + __builtin_ctz(hits);
  }
#endif
  for (; p != end; ++p)
    for (const char c : stops)
      if (*p == c) return p;
  return end;
}

// The first `c` in [p, end), or nullptr. Inline, for the short runs between an event's tags, where a call
// to memchr costs more than the search.
inline const char* find_byte(const char* p, const char* end, char c) {
  const char* at = find_first_of(p, end, std::array{c});
  return at == end ? nullptr : at;
}

// Whether the `n` bytes at `p` (at most `end - p`) are the `n` at `q`. Inline, 16 bytes at a time, the last
// block masked where 16 bytes from it are left before `end`: the event XML header scan compares every end tag's
// name and every remembered piece of markup. The 16 bytes from each block's start must be readable at `q` too:
// `q` lies before `p` in the same buffer, or its buffer is padded.
inline bool same_bytes(const char* p, const char* end, const char* q, size_t n) {
#if defined(__SSE2__)
  const auto load = [](const char* at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at)); };
  const auto same = [&](size_t at) {
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(load(p + at), load(q + at))));
  };
  size_t i = 0;
  for (; n - i >= 16; i += 16)
    if (same(i) != 0xFFFF) return false;
  if (i == n) return true;
  if (end - (p + i) >= 16) {
    const unsigned wanted = (1u << (n - i)) - 1;
    return (same(i) & wanted) == wanted;
  }
  return std::memcmp(p + i, q + i, n - i) == 0;
#else
  (void)end;
  return std::memcmp(p, q, n) == 0;
#endif
}

// How many times `c` occurs in `text`.
size_t count_char(std::string_view text, char c);

// The ASCII XML name characters: letters, digits, '_', ':', '.', '-'. The one definition, for the event XML
// header scan's character classes too.
constexpr bool is_ascii_name_char(char c) {
  const char lower = static_cast<char>(c | 0x20);  // 'A'-'Z' onto 'a'-'z', and nothing else into that range
  return (lower >= 'a' && lower <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '.' || c == '-';
}

// The run of is_ascii_name_char() characters that starts at `p` and ends by `end`: its length, and the offset
// of its last ':' (npos when it has none), where a qualified name's local part begins. Inline, 16 bytes at a
// time: the event XML header scan reads every tag and attribute name of every event with it, and a name
// mostly fits one block, so there is no loop exit per character to mispredict.
struct NameRun {
  size_t length;
  size_t last_colon;
};
inline NameRun ascii_name_run(const char* p, const char* end) {
  const char* const from = p;
  size_t colon = std::string_view::npos;
#if defined(__SSE2__)
  for (; end - p >= 16; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto within = [](__m128i x, char lo, char hi) {  // signed: bytes from 0x80 are below every bound
      return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                           _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(hi + 1))));
    };
    const auto is = [&v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
    const __m128i colons = is(':');
    const __m128i name =
        _mm_or_si128(_mm_or_si128(within(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z'), within(v, '0', '9')),
                     _mm_or_si128(_mm_or_si128(colons, is('_')), _mm_or_si128(is('.'), is('-'))));
    const unsigned stop = ~static_cast<unsigned>(_mm_movemask_epi8(name)) & 0xFFFFu;
    const unsigned length = stop != 0 ? static_cast<unsigned>(__builtin_ctz(stop)) : 16;
    const unsigned colon_bits = static_cast<unsigned>(_mm_movemask_epi8(colons)) & ((1u << length) - 1);
    if (colon_bits != 0) colon = static_cast<size_t>(p - from) + 31 - static_cast<size_t>(__builtin_clz(colon_bits));
    if (stop != 0) return {static_cast<size_t>(p - from) + length, colon};
  }
#endif
  for (; p != end && is_ascii_name_char(*p); ++p)
    if (*p == ':') colon = static_cast<size_t>(p - from);
  return {static_cast<size_t>(p - from), colon};
}

}  // namespace kmsdiag
