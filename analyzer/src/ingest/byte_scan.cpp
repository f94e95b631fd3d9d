#include "ingest/byte_scan.hpp"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
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

namespace {
bool ends_tag_name(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '>' || c == '/'; }
bool tag_name_at(const char* s, std::string_view name) {
  return *s == name[0] && std::memcmp(s, name.data(), name.size()) == 0;
}
// The first of a vector block's candidates (bit b: the start at i + b) that is the whole name, else npos.
size_t first_hit(unsigned mask, const char* s, size_t i, std::string_view name) {
  for (; mask != 0; mask &= mask - 1) {
    const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
    if (ends_tag_name(s[at + name.size()]) && tag_name_at(s + at, name)) return at;
  }
  return std::string_view::npos;
}

// The vector loops of find_tag_name, over blocks of start positions from `i` while the bytes after a block's
// last start are in the haystack: the first hit, or npos with `i` left at the first start not looked at. The
// bytes after each start are sifted loosely (signed: below '!' takes in every byte from 0x80 too), and a hit
// is checked whole.
#if defined(__SSE2__)
size_t tag_name_blocks_sse2(const char* s, size_t n, std::string_view name, size_t& i) {
  const size_t k = name.size();
  const __m128i first = _mm_set1_epi8(name[0]), second = _mm_set1_epi8(name[1]), last = _mm_set1_epi8(name[k - 1]);
  const auto load = [](const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); };
  for (; i + k + 16 <= n; i += 16) {
    const __m128i after = load(s + i + k);
    const __m128i ends = _mm_or_si128(
        _mm_cmplt_epi8(after, _mm_set1_epi8('!')),
        _mm_or_si128(_mm_cmpeq_epi8(after, _mm_set1_epi8('>')), _mm_cmpeq_epi8(after, _mm_set1_epi8('/'))));
    const __m128i starts = _mm_and_si128(_mm_cmpeq_epi8(load(s + i), first), _mm_cmpeq_epi8(load(s + i + 1), second));
    const auto mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(_mm_and_si128(starts, _mm_cmpeq_epi8(load(s + i + k - 1), last)), ends)));
    if (const size_t at = first_hit(mask, s, i, name); at != std::string_view::npos) return at;
  }
  return std::string_view::npos;
}
#endif

// The same, 32 positions at a time, where the processor has AVX2 (chosen when the program runs: the build
// targets every x86-64). The scanner's search is a serial step of reading a log: this is its time halved.
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) size_t tag_name_blocks_avx2(const char* s, size_t n, std::string_view name, size_t& i) {
  const size_t k = name.size();
  const __m256i first = _mm256_set1_epi8(name[0]), second = _mm256_set1_epi8(name[1]),
                last = _mm256_set1_epi8(name[k - 1]);
#define KMSDIAG_LOAD256(p) _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))  // a lambda would change the ABI
  for (; i + k + 32 <= n; i += 32) {
    const __m256i after = KMSDIAG_LOAD256(s + i + k);
    const __m256i ends = _mm256_or_si256(_mm256_cmpgt_epi8(_mm256_set1_epi8('!'), after),
                                         _mm256_or_si256(_mm256_cmpeq_epi8(after, _mm256_set1_epi8('>')),
                                                         _mm256_cmpeq_epi8(after, _mm256_set1_epi8('/'))));
    const __m256i starts = _mm256_and_si256(_mm256_cmpeq_epi8(KMSDIAG_LOAD256(s + i), first),
                                            _mm256_cmpeq_epi8(KMSDIAG_LOAD256(s + i + 1), second));
    const auto mask = static_cast<unsigned>(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_and_si256(starts, _mm256_cmpeq_epi8(KMSDIAG_LOAD256(s + i + k - 1), last)), ends)));
    if (const size_t at = first_hit(mask, s, i, name); at != std::string_view::npos) return at;
  }
#undef KMSDIAG_LOAD256
  return std::string_view::npos;
}
#endif

}  // namespace

size_t find_tag_name(std::string_view haystack, std::string_view name) {
  const size_t n = haystack.size(), k = name.size();
  if (k < 2 || k > n) return std::string_view::npos;
  const char* s = haystack.data();
  size_t i = 0;
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2)
    if (const size_t at = tag_name_blocks_avx2(s, n, name, i); at != std::string_view::npos) return at;
#endif
#if defined(__SSE2__)
  if (const size_t at = tag_name_blocks_sse2(s, n, name, i); at != std::string_view::npos) return at;
#endif
  for (; i + k <= n; ++i)
    if (tag_name_at(s + i, name) && (i + k == n || ends_tag_name(s[i + k]))) return i;
  return std::string_view::npos;
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

}  // namespace kmsdiag
