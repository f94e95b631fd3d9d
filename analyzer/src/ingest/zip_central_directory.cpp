#include "ingest/zip_central_directory.hpp"

#include <algorithm>
#include <limits>

#include "ingest/byte_scan.hpp"

namespace kmsdiag {
namespace {

// Signatures (APPNOTE.TXT 4.3.12-4.3.16): a directory entry, and the records that end the directory.
constexpr std::string_view kEntrySignature("PK\x01\x02", 4);
constexpr uint32_t kEntry = 0x02014b50, kEnd = 0x06054b50, kZip64End = 0x06064b50, kZip64Locator = 0x07064b50;
constexpr size_t kEntryFixed = 46;  // bytes of an entry before its name
constexpr uint16_t kZip64Extra = 0x0001;
constexpr size_t kEndFixed = 22, kZip64EndFixed = 12, kZip64LocatorSize = 20;
constexpr uint64_t kMaxZip64EndSize = 1 << 20;  // its extensible data, which no writer fills

uint64_t little_endian(const char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = n; i-- > 0;) v = v << 8 | static_cast<unsigned char>(p[i]);
  return v;
}

// The stream from where streaming stopped: the bytes already read, then the rest. Keeps only what the
// entry being parsed needs.
class Pull {
 public:
  Pull(std::string_view head, ByteSource& rest) : head_(head), rest_(rest) {}
  std::string_view available() const { return std::string_view(buf_).substr(pos_); }
  // Makes `n` bytes available; false when the stream ends first.
  bool need(size_t n) {
    while (available().size() < n)
      if (!more()) return false;
    return true;
  }
  // Adds bytes to what is available; false at the end of the stream.
  bool more() {
    buf_.erase(0, pos_);
    pos_ = 0;
    if (!head_.empty()) {
      const size_t k = std::min(head_.size(), kBlock);
      buf_.append(head_.substr(0, k));
      head_.remove_prefix(k);
      return true;
    }
    char block[kBlock];
    const size_t got = rest_.read(block, sizeof block);
    buf_.append(block, got);
    return got > 0;
  }
  void skip(size_t n) {
    pos_ += n;
    offset_ += n;
  }
  uint64_t offset() const { return offset_; }  // bytes skipped in all

 private:
  static constexpr size_t kBlock = 16 * 1024;
  std::string_view head_;
  ByteSource& rest_;
  std::string buf_;
  size_t pos_ = 0;
  uint64_t offset_ = 0;
};

uint32_t signature(Pull& in) { return in.need(4) ? static_cast<uint32_t>(little_endian(in.available().data(), 4)) : 0; }

bool at_directory_record(Pull& in) {
  const uint32_t s = signature(in);
  return s == kEntry || s == kEnd || s == kZip64End || s == kZip64Locator;
}

// At the end records after a directory's entries: skips them, and says whether the stream ends there, as
// the stream of a zip does (a directory followed by more belongs to a zip stored inside the zip).
bool stream_ends_after_end_records(Pull& in) {
  if (signature(in) == kZip64End) {
    if (!in.need(kZip64EndFixed)) return true;
    const uint64_t size = little_endian(in.available().data() + 4, 8);
    if (size > kMaxZip64EndSize) return false;
    if (!in.need(kZip64EndFixed + size)) return true;
    in.skip(kZip64EndFixed + size);
  }
  if (signature(in) == kZip64Locator) {
    if (!in.need(kZip64LocatorSize)) return true;
    in.skip(kZip64LocatorSize);
  }
  if (!in.need(kEndFixed)) return !in.need(1);
  if (signature(in) != kEnd) return false;
  const size_t comment = little_endian(in.available().data() + 20, 2);
  if (!in.need(kEndFixed + comment)) return true;
  in.skip(kEndFixed + comment);
  return !in.need(1);
}

// Moves to the next entry signature; false when the stream has none.
bool find_entry(Pull& in) {
  for (;;) {
    const std::string_view a = in.available();
    const size_t at = find_substring(a, kEntrySignature);
    if (at != std::string_view::npos) {
      in.skip(at);
      return true;
    }
    if (a.size() >= kEntrySignature.size()) in.skip(a.size() - (kEntrySignature.size() - 1));
    if (!in.more()) return false;
  }
}

// The uncompressed size from an entry's ZIP64 extra field, which holds it first when the 32-bit field
// says 0xFFFFFFFF (APPNOTE.TXT 4.5.3); -1 when there is none.
int64_t zip64_size(std::string_view extra) {
  while (extra.size() >= 4) {
    const auto id = static_cast<uint16_t>(little_endian(extra.data(), 2));
    const size_t len = std::min<size_t>(little_endian(extra.data() + 2, 2), extra.size() - 4);
    if (id == kZip64Extra && len >= 8) {
      const uint64_t size = little_endian(extra.data() + 4, 8);
      return size <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ? static_cast<int64_t>(size) : -1;
    }
    extra.remove_prefix(4 + len);
  }
  return -1;
}

// Parses entries from the current position up to an end record (damage "" then) or what stops it.
CentralDirectory parse(Pull& in, uint64_t max_entries) {
  CentralDirectory dir;
  dir.found = true;
  size_t name_bytes = 0;
  for (;;) {
    if (!in.need(4)) return dir.damage = "the input ends inside it", dir;
    const uint32_t s = signature(in);
    if (s == kEnd || s == kZip64End || s == kZip64Locator) return dir;
    if (s != kEntry) return dir.damage = "no directory entry where one should begin", dir;
    if (!in.need(kEntryFixed)) return dir.damage = "the input ends inside it", dir;
    const char* p = in.available().data();
    const uint64_t size32 = little_endian(p + 24, 4);
    const size_t name_len = little_endian(p + 28, 2), extra_len = little_endian(p + 30, 2),
                 comment_len = little_endian(p + 32, 2);
    const size_t total = kEntryFixed + name_len + extra_len + comment_len;
    if (!in.need(total)) return dir.damage = "the input ends inside it", dir;
    if (dir.entries.size() < max_entries) {
      if ((name_bytes += name_len) > kMaxCentralDirectoryNameBytes)
        return dir.damage = "its names are too long to check", dir;
      p = in.available().data();
      const int64_t size = size32 == 0xFFFFFFFFu ? zip64_size(std::string_view(p + kEntryFixed + name_len, extra_len))
                                                 : static_cast<int64_t>(size32);
      dir.entries.push_back({std::string(p + kEntryFixed, name_len), size});
    }
    in.skip(total);
  }
}

}  // namespace

CentralDirectory read_central_directory(std::string_view head, ByteSource& rest, uint64_t max_entries) {
  Pull in(head, rest);
  // Where streaming ended cleanly the directory begins right here. Otherwise, or when what begins here is
  // not followed by the end of the stream, the one that is is searched for.
  CentralDirectory sound, damaged;  // the last ones met that did not end the stream, for want of one that does
  for (bool here = at_directory_record(in); here || find_entry(in); here = false) {
    const uint64_t start = in.offset();
    CentralDirectory dir = parse(in, max_entries);
    if (!dir.damage.empty()) {  // the longest, not a fragment of it found by searching on
      if (!damaged.found || dir.entries.size() > damaged.entries.size()) damaged = std::move(dir);
      if (in.offset() == start) in.skip(1);
      continue;
    }
    if (stream_ends_after_end_records(in)) return dir;
    sound = std::move(dir);
  }
  return sound.found ? sound : damaged;
}

}  // namespace kmsdiag
