#include "ingest/text_decoder.hpp"

#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace kmsdiag {
namespace {

bool valid_utf8_prefix(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0) return false;
    if (i + n > s.size()) return true;  // cut at the end of the head: fine
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

// Shift_JIS / CP932: lead bytes 0x81-0x9F, 0xE0-0xFC followed by 0x40-0x7E, 0x80-0xFC; 0xA1-0xDF are
// half-width katakana. True when every non-ASCII byte fits and at least one double-byte pair exists.
bool plausible_cp932(std::string_view s) {
  size_t pairs = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80 || (c >= 0xA1 && c <= 0xDF)) continue;
    if ((c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC)) {
      if (i + 1 >= s.size()) break;
      const auto d = static_cast<unsigned char>(s[i + 1]);
      if (d < 0x40 || d == 0x7F || d > 0xFC) return false;
      ++pairs;
      ++i;
      continue;
    }
    return false;
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

class IconvSource final : public ByteSource {
 public:
  IconvSource(ByteSource& inner, const char* from) : inner_(inner) {
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

  size_t read(char* buf, size_t n) override {
    while (out_pos_ == out_.size()) {
      if (!fill()) return 0;
    }
    const size_t k = std::min(n, out_.size() - out_pos_);
    std::memcpy(buf, out_.data() + out_pos_, k);
    out_pos_ += k;
    return k;
  }

 private:
  // Converts the next block; false at end of input.
  bool fill() {
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
      out_ += "\xEF\xBF\xBD";  // EILSEQ (or truncated tail at EOF): replacement character
      ++in;
      --in_left;
    }
    if (first_) {  // iconv keeps a UTF-16 byte-order mark as U+FEFF: drop it
      first_ = false;
      if (out_.rfind("\xEF\xBB\xBF", 0) == 0) out_.erase(0, 3);
    }
    pending_.erase(0, pending_.size() - in_left);
    if (eof) pending_.clear();
    return !out_.empty() || !eof;
  }

  ByteSource& inner_;
  iconv_t cd_;
  bool first_ = true;
  std::string pending_, out_;
  size_t out_pos_ = 0;
};

class SkipSource final : public ByteSource {
 public:
  SkipSource(ByteSource& inner, size_t skip) : inner_(inner), skip_(skip) {}
  const std::string& path() const override { return inner_.path(); }
  size_t read(char* buf, size_t n) override {
    while (skip_ > 0) {
      char tmp[4];
      const size_t got = inner_.read(tmp, std::min(skip_, sizeof tmp));
      if (got == 0) return 0;
      skip_ -= got;
    }
    return inner_.read(buf, n);
  }

 private:
  ByteSource& inner_;
  size_t skip_;
};

}  // namespace

std::string detect_encoding(std::string_view h) {
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
    controls += u < 0x20 && u != '\t' && u != '\n' && u != '\r' && u != '\f';
  }
  if (zeros > 0 || controls > h.size() / 20) return "binary";
  if (valid_utf8_prefix(h)) return "utf-8";
  if (plausible_cp932(h)) return "cp932";
  return "binary";
}

std::unique_ptr<ByteSource> make_utf8_source(ByteSource& inner, const std::string& encoding) {
  if (encoding == "utf-8-bom") return std::make_unique<SkipSource>(inner, 3);
  if (encoding == "utf-16le") return std::make_unique<IconvSource>(inner, "UTF-16LE");
  if (encoding == "utf-16be") return std::make_unique<IconvSource>(inner, "UTF-16BE");
  if (encoding == "cp932") return std::make_unique<IconvSource>(inner, "CP932");
  if (encoding == "cp437") return std::make_unique<IconvSource>(inner, "CP437");  // zip member names
  return std::make_unique<SkipSource>(inner, 0);
}

std::string to_utf8(std::string_view bytes, const std::string& encoding) {
  MemorySource mem("", bytes);
  auto src = make_utf8_source(mem, encoding);
  std::string out;
  char buf[16 * 1024];
  while (size_t n = src->read(buf, sizeof buf)) out.append(buf, n);
  return out;
}

}  // namespace kmsdiag
