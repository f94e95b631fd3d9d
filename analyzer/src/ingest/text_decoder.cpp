#include "ingest/text_decoder.hpp"

#include <fmt/format.h>
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kmsdiag {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF); 0 when it is not one; SIZE_MAX when `s` ends inside what
// could still become one.
size_t utf8_sequence(std::string_view s) {
  const auto c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) return 1;
  const size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0) return 0;
  for (size_t k = 1; k < n; ++k) {
    if (k >= s.size()) return SIZE_MAX;
    const auto d = static_cast<unsigned char>(s[k]);
    unsigned char lo = 0x80, hi = 0xBF;
    if (k == 1) {  // the second byte rules out overlong forms, surrogates and code points past U+10FFFF
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    }
    if (d < lo || d > hi) return 0;
  }
  return n;
}

// Bytes of `s` that are not UTF-8 text: NUL and the first byte of every ill-formed sequence (a
// sequence cut by the end of `s` is not counted).
size_t non_utf8_bytes(std::string_view s) {
  size_t bad = 0;
  for (size_t i = 0; i < s.size();) {
    const size_t n = s[i] == '\0' ? 0 : utf8_sequence(s.substr(i));
    if (n == SIZE_MAX) break;
    bad += n == 0;
    i += n == 0 ? 1 : n;
  }
  return bad;
}

// Shift_JIS / CP932: lead bytes 0x81-0x9F, 0xE0-0xFC followed by 0x40-0x7E, 0x80-0xFC; 0xA1-0xDF are
// half-width katakana. GBK / CP936: lead bytes 0x81-0xFE followed by 0x40-0x7E, 0x80-0xFE.
// True when every non-ASCII byte fits and at least one double-byte pair exists.
struct LegacyCodePage {
  const char* name;   // detect_encoding's answer
  const char* iconv;  // iconv's name for it
  bool (*single)(unsigned char);
  bool (*lead)(unsigned char);
  bool (*trail)(unsigned char);
};
constexpr LegacyCodePage kLegacyCodePages[] = {
    {"cp932", "CP932", [](unsigned char c) { return c >= 0xA1 && c <= 0xDF; },
     [](unsigned char c) { return (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC); },
     [](unsigned char d) { return d >= 0x40 && d != 0x7F && d <= 0xFC; }},
    {"gbk", "GBK", [](unsigned char) { return false; }, [](unsigned char c) { return c >= 0x81 && c <= 0xFE; },
     [](unsigned char d) { return d >= 0x40 && d != 0x7F && d <= 0xFE; }},
};

bool plausible(const LegacyCodePage& cp, std::string_view s) {
  size_t pairs = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80 || cp.single(c)) continue;
    if (!cp.lead(c)) return false;
    if (i + 1 >= s.size()) break;
    if (!cp.trail(static_cast<unsigned char>(s[i + 1]))) return false;
    ++pairs;
    ++i;
  }
  return pairs > 0;
}

size_t count_byte(std::string_view s, size_t start, char b) {
  size_t n = 0;
  for (size_t i = start; i < s.size(); i += 2) n += s[i] == b;
  return n;
}

// iconv_open and iconv_close load and unload glibc's gconv modules (dlopen) and update its shared
// module table under a lock internal to glibc. That is safe, but ThreadSanitizer cannot see that
// lock and reports the loader's allocations as races when two ingest workers open converters at
// once. Taking our own lock around both calls makes the ordering visible; it is paid once per file.
std::mutex& gconv_mutex() {
  static std::mutex m;
  return m;
}

uint64_t newlines(std::string_view s) {
  uint64_t n = 0;
  for (size_t at = 0; (at = s.find('\n', at)) != std::string_view::npos; ++at) ++n;
  return n;
}

// Keeps the position of the first replaced unit: the input offset and the line of the text so far
// (lines are counted in the output only until then).
class DamageLog {
 public:
  // One unit at input offset `at` was replaced; `out` is the output of the current block so far.
  void replaced(DecodeDamage& damage, uint64_t at, std::string_view out) {
    if (damage.units++ == 0) {
      damage.first_byte = at;
      damage.first_line = lines_ + newlines(out) + 1;
    }
  }
  // The current block's output is complete.
  void block_done(const DecodeDamage& damage, std::string_view out) {
    if (damage.units == 0) lines_ += newlines(out);
  }

 private:
  uint64_t lines_ = 0;
};

// A decoder that converts its input a block at a time into out_ (fill()) and serves reads from it.
class BlockDecoder : public Utf8Source {
 public:
  size_t read(char* buf, size_t n) override {
    while (out_pos_ == out_.size()) {
      if (!fill()) return 0;
    }
    const size_t k = std::min(n, out_.size() - out_pos_);
    std::memcpy(buf, out_.data() + out_pos_, k);
    out_pos_ += k;
    return k;
  }

 protected:
  // Replaces out_ with the next block's output (out_pos_ back to 0); false at end of input.
  virtual bool fill() = 0;

  std::string out_;
  size_t out_pos_ = 0;
};

class IconvSource final : public BlockDecoder {
 public:
  IconvSource(ByteSource& inner, const char* from, size_t unit) : inner_(inner), unit_(unit) {
    {
      const std::lock_guard lock(gconv_mutex());
      cd_ = iconv_open("UTF-8", from);
    }
    if (cd_ == reinterpret_cast<iconv_t>(-1))
      throw std::runtime_error(std::string("iconv cannot convert from ") + from);
  }
  ~IconvSource() override {
    const std::lock_guard lock(gconv_mutex());
    iconv_close(cd_);
  }
  IconvSource(const IconvSource&) = delete;
  IconvSource& operator=(const IconvSource&) = delete;
  const std::string& path() const override { return inner_.path(); }

 private:
  // Converts the next block; false at end of input.
  bool fill() override {
    out_.clear();
    out_pos_ = 0;
    char block[64 * 1024];
    size_t got = inner_.read(block, sizeof block);
    if (got == 0 && pending_.empty()) return false;
    pending_.append(block, got);
    const bool eof = got == 0;
    char* in = pending_.data();
    size_t in_left = pending_.size();
    std::vector<char> tmp(in_left * 3 + 16);
    while (in_left > 0) {
      char* o = tmp.data();
      size_t o_left = tmp.size();
      const size_t r = iconv(cd_, &in, &in_left, &o, &o_left);
      out_.append(tmp.data(), tmp.size() - o_left);
      if (r != static_cast<size_t>(-1)) break;
      if (errno == EINVAL && !eof) break;  // incomplete sequence: wait for more bytes
      if (errno == E2BIG) continue;
      // EILSEQ (or a truncated tail at EOF): one replacement for one code unit, so the next unit is
      // read in step (a UTF-16 unit is two bytes: skipping one would misread the rest of the file).
      log_.replaced(damage_, offset_ + static_cast<uint64_t>(in - pending_.data()), out_);
      out_ += kReplacement;
      const size_t skip = std::min(unit_, in_left);
      in += skip;
      in_left -= skip;
    }
    if (first_) {  // iconv keeps a UTF-16 byte-order mark as U+FEFF: drop it
      first_ = false;
      if (out_.rfind("\xEF\xBB\xBF", 0) == 0) out_.erase(0, 3);
    }
    offset_ += pending_.size() - in_left;
    pending_.erase(0, pending_.size() - in_left);
    if (eof) pending_.clear();
    log_.block_done(damage_, out_);
    return !out_.empty() || !eof;
  }

  ByteSource& inner_;
  size_t unit_;  // bytes of one code unit of the input encoding
  iconv_t cd_;
  bool first_ = true;
  std::string pending_;
  uint64_t offset_ = 0;  // input offset of pending_[0]
  DamageLog log_;
};

// UTF-8 input passed through checked: a NUL or an ill-formed sequence becomes U+FFFD (one per byte),
// so no reader meets bytes that are not text. Skips `skip` bytes first (a BOM).
class Utf8CheckSource final : public BlockDecoder {
 public:
  Utf8CheckSource(ByteSource& inner, size_t skip) : inner_(inner), offset_(0), skip_(skip) {}
  const std::string& path() const override { return inner_.path(); }

  // Reads of a few KiB or more go straight into the caller's buffer, checked in place: a big file's bytes are
  // copied once, by the kernel, and never zeroed first. Only a read that meets damage (or the BOM, or a
  // small read) takes the block path below, whose output the next reads serve.
  size_t read(char* buf, size_t n) override {
    if (out_pos_ < out_.size() || skip_ > 0 || n < kDirectFrom) return BlockDecoder::read(buf, n);
    for (;;) {
      // What the last read left (at most the 3 bytes of a sequence its end cut), then new bytes behind it.
      const size_t kept = pending_.size();
      std::memcpy(buf, pending_.data(), kept);
      const size_t got = inner_.read(buf + kept, n - kept);
      const bool eof = got == 0;
      if (eof && kept == 0) return 0;
      const std::string_view in(buf, kept + got);
      const TextRun text = text_run(in, eof);
      if (text.damaged) {  // convert these bytes as a block
        pending_.assign(in);
        convert(eof);
        return BlockDecoder::read(buf, n);
      }
      pending_.assign(in.substr(text.length));
      offset_ += text.length;
      log_.block_done(damage_, in.substr(0, text.length));
      if (text.length > 0) return text.length;
      // Only part of one sequence so far: read on.
    }
  }

 private:
  // How many bytes from the start of `in` are ASCII other than NUL: the text every check passes, skipped
  // 16 bytes at a time where SSE2 is (every x86-64), else 8.
  static size_t ascii_run(std::string_view in) {
    size_t i = 0;
#if defined(__SSE2__)
    for (; i + 16 <= in.size(); i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in.data() + i));
      const auto stop =
          static_cast<unsigned>(_mm_movemask_epi8(v) | _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())));
      if (stop != 0) return i + static_cast<size_t>(__builtin_ctz(stop));
    }
#endif
    for (; i + 8 <= in.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, in.data() + i, sizeof w);
      constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
      if (((w | ((w - kOnes) & ~w)) & kHigh) != 0) break;
    }
    while (i < in.size() && in[i] != '\0' && static_cast<unsigned char>(in[i]) < 0x80) ++i;
    return i;
  }

  // The well-formed text `in` starts with, up to its first NUL or ill-formed sequence (damaged), or to its
  // end less a sequence that end cuts (unless at `eof`).
  struct TextRun {
    size_t length;
    bool damaged;
  };
  static TextRun text_run(std::string_view in, bool eof) {
    size_t i = 0;
    while (i < in.size()) {
      i += ascii_run(in.substr(i));
      if (i == in.size()) break;
      const size_t n = in[i] == '\0' ? 0 : utf8_sequence(in.substr(i));
      if (n == SIZE_MAX && !eof) break;  // cut by the end: wait for the rest
      if (n == 0 || n == SIZE_MAX) return {i, true};
      i += n;
    }
    return {i, false};
  }

  // Reads the next block behind what the last one left (a sequence cut by its end) into pending_ and converts
  // it (convert()).
  bool fill() override {
    out_pos_ = 0;
    const size_t kept = pending_.size();
    size_t got = 0;
    for (;;) {
      pending_.resize(kept + kBlock);
      got = inner_.read(pending_.data() + kept, kBlock);
      const size_t k = std::min(skip_, got);  // the BOM, however the reads cut it
      if (k == 0) break;
      pending_.erase(kept, k);
      got -= k;
      skip_ -= k;
      offset_ += k;
      if (got > 0) break;
    }
    pending_.resize(kept + got);
    out_.clear();
    if (got == 0 && kept == 0) return false;
    return convert(got == 0);
  }

  // Turns the bytes in pending_ into out_, each NUL or ill-formed byte replaced; keeps in pending_ a sequence
  // cut by the end (unless at `eof`). When nothing is replaced (the common case) hands the block on by
  // swapping buffers, without copying it.
  bool convert(bool eof) {
    out_.clear();
    out_pos_ = 0;
    const std::string_view in = pending_;
    size_t i = 0, run = 0;  // [run, i) is text still to copy
    bool replaced = false;
    for (;;) {
      const TextRun text = text_run(in.substr(i), eof);
      i += text.length;
      if (!text.damaged) break;
      out_.append(in.substr(run, i - run));
      log_.replaced(damage_, offset_ + i, out_);
      out_ += kReplacement;
      run = ++i;
      replaced = true;
    }
    if (replaced) {
      out_.append(in.substr(run, i - run));
      pending_.erase(0, i);
    } else {
      out_.swap(pending_);
      pending_.assign(out_, i);
      out_.resize(i);
    }
    offset_ += i;
    if (eof) pending_.clear();
    log_.block_done(damage_, out_);
    return !out_.empty() || !eof;
  }

  static constexpr size_t kDirectFrom = 4 * 1024;
  static constexpr size_t kBlock = 64 * 1024;
  ByteSource& inner_;
  uint64_t offset_;  // input offset of pending_[0]
  size_t skip_;
  std::string pending_;
  DamageLog log_;
};

}  // namespace

std::string detect_encoding(std::string_view h, const std::vector<std::string_view>& known_labels) {
  if (h.size() >= 3 && h.substr(0, 3) == "\xEF\xBB\xBF") return "utf-8-bom";
  if (h.size() >= 2 && h.substr(0, 2) == "\xFF\xFE") return "utf-16le";
  if (h.size() >= 2 && h.substr(0, 2) == "\xFE\xFF") return "utf-16be";
  // UTF-16 without BOM: ASCII text shows as every other byte zero.
  if (h.size() >= 16) {
    const size_t half = h.size() / 2;
    const size_t odd0 = count_byte(h, 1, '\0'), even0 = count_byte(h, 0, '\0');
    if (odd0 > half * 6 / 10 && even0 < half / 10) return "utf-16le";
    if (even0 > half * 6 / 10 && odd0 < half / 10) return "utf-16be";
  }
  size_t zeros = 0, controls = 0;
  for (char c : h) {
    const auto u = static_cast<unsigned char>(c);
    zeros += u == 0;
    controls += u != 0 && u < 0x20 && u != '\t' && u != '\n' && u != '\r' && u != '\f';
  }
  // Text has next to no control bytes; binary data is full of them and of NULs.
  if (controls > h.size() / 20 || zeros * 100 > h.size()) return "binary";
  const size_t non_utf8 = non_utf8_bytes(h);
  if (non_utf8 == zeros) return "utf-8";
  // Not UTF-8: a legacy code page, the one that reads as the most known labels.
  const LegacyCodePage* best = nullptr;
  size_t best_labels = 0;
  for (const LegacyCodePage& cp : kLegacyCodePages) {
    if (!plausible(cp, h)) continue;
    size_t labels = 0;
    if (!known_labels.empty()) {
      const std::string text = to_utf8(h, cp.name);
      for (const std::string_view label : known_labels) labels += text.find(label) != std::string::npos;
    }
    if (!best || labels > best_labels) best = &cp, best_labels = labels;
  }
  if (best && best_labels > 0) return best->name;
  // UTF-8 with a few damaged bytes is still UTF-8 text: the decoder replaces and reports them.
  if (non_utf8 * 100 <= h.size()) return "utf-8";
  return best ? best->name : "binary";
}

std::unique_ptr<Utf8Source> make_utf8_source(ByteSource& inner, const std::string& encoding) {
  if (encoding == "utf-8-bom") return std::make_unique<Utf8CheckSource>(inner, 3);
  if (encoding == "utf-16le") return std::make_unique<IconvSource>(inner, "UTF-16LE", 2);
  if (encoding == "utf-16be") return std::make_unique<IconvSource>(inner, "UTF-16BE", 2);
  for (const LegacyCodePage& cp : kLegacyCodePages)
    if (encoding == cp.name) return std::make_unique<IconvSource>(inner, cp.iconv, 1);
  if (encoding == "cp437") return std::make_unique<IconvSource>(inner, "CP437", 1);  // zip member names
  return std::make_unique<Utf8CheckSource>(inner, 0);
}

std::string to_utf8(std::string_view bytes, const std::string& encoding) {
  MemorySource mem("", bytes);
  auto src = make_utf8_source(mem, encoding);
  std::string out;
  char buf[16 * 1024];
  while (size_t n = src->read(buf, sizeof buf)) out.append(buf, n);
  return out;
}

std::string describe_damage(const DecodeDamage& damage, const std::string& encoding) {
  if (damage.units == 0) return "";
  const bool utf16 = encoding.starts_with("utf-16");
  const std::string what = utf16 ? "code unit" : "byte";
  const std::string name = utf16 ? "UTF-16" : encoding == "utf-8-bom" ? "utf-8" : encoding;
  std::string text = fmt::format("byte {}: {} {}{} that {} not {} text (", damage.first_byte, damage.units, what,
                                 damage.units == 1 ? "" : "s", damage.units == 1 ? "is" : "are", name);
  text += utf16 ? "a lone surrogate or a cut unit" : "a NUL or an invalid sequence";
  text += damage.units == 1 ? ") read as U+FFFD" : ", the first here) read as U+FFFD";
  return text;
}

}  // namespace kmsdiag
