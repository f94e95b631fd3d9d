#include "ingest/byte_scan.hpp"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kmsdiag {

size_t find_substring(std::string_view haystack, std::string_view needle) {
  const size_t n = haystack.size(), k = needle.size();
  if (k == 0) return 0;
  if (k > n) return std::string_view::npos;
  const char* s = haystack.data();
  size_t i = 0;
#if defined(__SSE2__)
  if (k >= 2) {
    const __m128i first = _mm_set1_epi8(needle.front());
    const __m128i last = _mm_set1_epi8(needle.back());
    // Block i covers start positions i..i+15; its last-byte load ends at i + k - 1 + 16 <= n.
    for (; i + k - 1 + 16 <= n; i += 16) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i + k - 1));
      auto mask =
          static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
      for (; mask != 0; mask &= mask - 1) {
        const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
        if (std::memcmp(s + at + 1, needle.data() + 1, k - 2) == 0) return at;
      }
    }
  }
#endif
  // The tail (or every position without SSE2): fewer than 16 starts on x86-64.
  const void* found = memmem(s + i, n - i, needle.data(), k);
  return found ? static_cast<size_t>(static_cast<const char*>(found) - s) : std::string_view::npos;
}

size_t count_char(std::string_view text, char c) {
  size_t n = 0, i = 0;
#if defined(__SSE2__)
  // Each byte lane counts its matches (a match compares as -1) for at most 255 blocks, then the lanes are
  // summed (psadbw): no popcount, which x86-64 without -mpopcnt does in software.
  const __m128i wanted = _mm_set1_epi8(c), zero = _mm_setzero_si128();
  while (i + 16 <= text.size()) {
    __m128i lanes = zero;
    for (int blocks = 0; blocks < 255 && i + 16 <= text.size(); ++blocks, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(v, wanted));
    }
    const __m128i sums = _mm_sad_epu8(lanes, zero);
    n += static_cast<size_t>(_mm_cvtsi128_si64(sums) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
#endif
  for (; i < text.size(); ++i) n += text[i] == c;
  return n;
}

NameRun ascii_name_run(std::string_view text) {
  size_t i = 0, colon = std::string_view::npos;
#if defined(__SSE2__)
  while (i + 16 <= text.size()) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    const auto within = [](__m128i x, char lo, char hi) {  // signed: bytes from 0x80 are below every bound
      return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                           _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(hi + 1))));
    };
    const auto is = [&v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
    const __m128i colons = is(':');
    // is_ascii_name_char() on 16 bytes.
    const __m128i name =
        _mm_or_si128(_mm_or_si128(within(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z'), within(v, '0', '9')),
                     _mm_or_si128(_mm_or_si128(colons, is('_')), _mm_or_si128(is('.'), is('-'))));
    const unsigned stop = ~static_cast<unsigned>(_mm_movemask_epi8(name)) & 0xFFFFu;
    const unsigned length = stop != 0 ? static_cast<unsigned>(__builtin_ctz(stop)) : 16;
    const unsigned colon_bits = static_cast<unsigned>(_mm_movemask_epi8(colons)) & ((1u << length) - 1);
    if (colon_bits != 0) colon = i + 31 - static_cast<size_t>(__builtin_clz(colon_bits));
    i += length;
    if (stop != 0) return {i, colon};
  }
#endif
  for (; i < text.size() && is_ascii_name_char(text[i]); ++i)
    if (text[i] == ':') colon = i;
  return {i, colon};
}

}  // namespace kmsdiag
