#include "ingest/evtx_value.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "ingest/evtx_framing.hpp"
#include "model/record.hpp"

namespace kmsdiag::evtx {

namespace {

constexpr int64_t kFileTimeEpochDelta = 116444736000000000LL;  // 1601-01-01 .. 1970-01-01 in 100 ns

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

template <typename T>
void append_number(std::string& out, T v, int base = 10) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, base);
  out.append(buf, r.ptr);
}

// Zero-padded to the type's width, as libfwevt (evtxexport) renders HexInt32/HexInt64.
void append_hex_int(std::string& out, uint64_t v, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out += "0x";
  for (int i = digits - 1; i >= 0; --i) out.push_back(kDigits[(v >> (4 * i)) & 15]);
}

void append_padded(std::string& out, uint64_t v, int width) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  for (int n = static_cast<int>(r.ptr - buf); n < width; ++n) out.push_back('0');
  out.append(buf, r.ptr);
}

void append_hex_bytes(std::string& out, const uint8_t* p, size_t n) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[p[i] >> 4]);
    out.push_back(kDigits[p[i] & 15]);
  }
}

void append_hex_le(std::string& out, const uint8_t* p, int n) {  // little-endian integer, upper-case
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (int i = n - 1; i >= 0; --i) {
    out.push_back(kDigits[p[i] >> 4]);
    out.push_back(kDigits[p[i] & 15]);
  }
}

void append_guid(std::string& out, const uint8_t* p) {
  out.push_back('{');
  append_hex_le(out, p, 4);
  out.push_back('-');
  append_hex_le(out, p + 4, 2);
  out.push_back('-');
  append_hex_le(out, p + 6, 2);
  out.push_back('-');
  append_hex_bytes(out, p + 8, 2);
  out.push_back('-');
  append_hex_bytes(out, p + 10, 6);
  out.push_back('}');
}

void append_civil(std::string& out, int y, int mo, int d, int h, int mi, int s) {
  append_padded(out, static_cast<uint64_t>(y), 4);
  out.push_back('-');
  append_padded(out, static_cast<uint64_t>(mo), 2);
  out.push_back('-');
  append_padded(out, static_cast<uint64_t>(d), 2);
  out.push_back('T');
  append_padded(out, static_cast<uint64_t>(h), 2);
  out.push_back(':');
  append_padded(out, static_cast<uint64_t>(mi), 2);
  out.push_back(':');
  append_padded(out, static_cast<uint64_t>(s), 2);
}

// Days since 1970-01-01 -> civil date (Howard Hinnant's algorithm).
void civil_from_days(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

void append_filetime(std::string& out, uint64_t ft) {
  const uint64_t secs = ft / 10000000;  // since 1601
  const uint64_t frac = ft % 10000000;
  const int64_t unix_secs = static_cast<int64_t>(secs) - kFileTimeEpochDelta / 10000000;
  const int64_t days = unix_secs >= 0 ? unix_secs / 86400 : (unix_secs - 86399) / 86400;
  const int64_t rem = unix_secs - days * 86400;
  int y, m, d;
  civil_from_days(days, y, m, d);
  append_civil(out, y, m, d, static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  out.push_back('.');
  append_padded(out, frac, 7);
  out.push_back('Z');
}

void append_systemtime(std::string& out, const uint8_t* p) {
  // year, month, day-of-week, day, hour, minute, second, milliseconds (all 16-bit)
  append_civil(out, le16(p), le16(p + 2), le16(p + 6), le16(p + 8), le16(p + 10), le16(p + 12));
  out.push_back('.');
  append_padded(out, le16(p + 14), 3);
  out.push_back('Z');
}

// A revision, a count of sub-authorities, a 6-byte authority, then the count's 4-byte sub-authorities.
bool sid_fits(const uint8_t* p, uint32_t size) { return size >= 8 && size >= 8u + 4u * p[1]; }

bool append_sid(std::string& out, const uint8_t* p, uint32_t size) {
  if (!sid_fits(p, size)) return false;
  const uint8_t count = p[1];
  out += "S-";
  append_number(out, static_cast<unsigned>(p[0]));
  out.push_back('-');
  uint64_t authority = 0;
  for (int i = 2; i < 8; ++i) authority = (authority << 8) | p[i];
  append_number(out, authority);
  for (uint8_t i = 0; i < count; ++i) {
    out.push_back('-');
    append_number(out, le32(p + 8 + 4 * i));
  }
  return true;
}

void append_ansi(std::string& out, const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n && p[i] != 0; ++i) append_utf8(out, p[i]);  // Windows-1252 approximated as Latin-1
}

// Size of one item of a fixed-size type; 0 for variable-size types.
uint32_t fixed_size(uint8_t type, uint32_t size) {
  switch (type) {
    case vt::kInt8:
    case vt::kUInt8:
      return 1;
    case vt::kInt16:
    case vt::kUInt16:
      return 2;
    case vt::kInt32:
    case vt::kUInt32:
    case vt::kReal32:
    case vt::kBool:
    case vt::kHexInt32:
      return 4;
    case vt::kInt64:
    case vt::kUInt64:
    case vt::kReal64:
    case vt::kFileTime:
    case vt::kHexInt64:
      return 8;
    case vt::kGuid:
    case vt::kSysTime:
      return 16;
    case vt::kSizeT:
      return size == 4 ? 4 : 8;
    default:
      return 0;
  }
}

// One fixed-size scalar; `p` holds exactly fixed_size(type) bytes.
void append_fixed(std::string& out, uint8_t type, const uint8_t* p, uint32_t n) {
  switch (type) {
    case vt::kInt8:
      append_number(out, static_cast<int8_t>(p[0]));
      break;
    case vt::kUInt8:
      append_number(out, static_cast<unsigned>(p[0]));
      break;
    case vt::kInt16:
      append_number(out, static_cast<int16_t>(le16(p)));
      break;
    case vt::kUInt16:
      append_number(out, le16(p));
      break;
    case vt::kInt32:
      append_number(out, static_cast<int32_t>(le32(p)));
      break;
    case vt::kUInt32:
      append_number(out, le32(p));
      break;
    case vt::kInt64:
      append_number(out, static_cast<int64_t>(le64(p)));
      break;
    case vt::kUInt64:
      append_number(out, le64(p));
      break;
    case vt::kReal32: {
      float f;
      std::memcpy(&f, p, 4);
      char buf[48];
      out.append(buf, std::to_chars(buf, buf + sizeof buf, f).ptr);
      break;
    }
    case vt::kReal64: {
      double f;
      std::memcpy(&f, p, 8);
      char buf[48];
      out.append(buf, std::to_chars(buf, buf + sizeof buf, f).ptr);
      break;
    }
    case vt::kBool:
      out += le32(p) ? "true" : "false";
      break;
    case vt::kGuid:
      append_guid(out, p);
      break;
    case vt::kSizeT:
    case vt::kHexInt32:
    case vt::kHexInt64:
      append_hex_int(out, n == 4 ? le32(p) : le64(p), n == 4 ? 8 : 16);
      break;
    case vt::kFileTime:
      append_filetime(out, le64(p));
      break;
    case vt::kSysTime:
      append_systemtime(out, p);
      break;
    default:
      break;
  }
}

}  // namespace

void append_utf16(std::string& out, const uint8_t* p, size_t bytes) {
  const size_t n = bytes / 2;
  for (size_t i = 0; i < n; ++i) {
    uint32_t c = le16(p + 2 * i);
    if (c == 0) return;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < n) {
      const uint32_t lo = le16(p + 2 * i + 2);
      if (lo >= 0xDC00 && lo < 0xE000) {
        append_utf8(out, 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00));
        ++i;
        continue;
      }
    }
    if (c >= 0xD800 && c < 0xE000) c = 0xFFFD;  // lone surrogate
    append_utf8(out, c);
  }
}

bool append_value(std::string& out, const Value& v) {
  const uint8_t base = v.type & 0x7f;
  const bool array = (v.type & vt::kArray) != 0;
  if (base == vt::kNull) return true;
  if (array) {
    const size_t old_size = out.size();
    uint32_t offset = 0;
    Value item;
    for (bool first = true; next_array_item(v, offset, item); first = false) {
      if (!first) out.push_back(',');
      if (!append_value(out, item)) break;
    }
    if (offset == v.size) return true;
    out.resize(old_size);
    return false;
  }
  switch (base) {
    case vt::kString:
      append_utf16(out, v.data, v.size);
      return true;
    case vt::kAnsiString:
      append_ansi(out, v.data, v.size);
      return true;
    case vt::kBinary:
    case vt::kEvtHandle:
    case vt::kEvtXml:
      append_hex_bytes(out, v.data, v.size);
      return true;
    case vt::kSid:
      return append_sid(out, v.data, v.size);
    default:
      break;
  }
  if (!value_fits(v)) return false;
  append_fixed(out, base, v.data, v.size);
  return true;
}

bool value_fits(const Value& v) {
  const uint8_t base = v.type & 0x7f;
  if (v.type & vt::kArray) {  // rare: the items decide, as append_value() steps through them
    std::string text;
    return append_value(text, v);
  }
  switch (base) {
    case vt::kNull:
    case vt::kString:
    case vt::kAnsiString:
    case vt::kBinary:
    case vt::kEvtHandle:
    case vt::kEvtXml:
      return true;
    case vt::kSid:
      return sid_fits(v.data, v.size);
    default:
      break;
  }
  const uint32_t item = fixed_size(base, v.size);
  return item != 0 && v.size == item;
}

bool next_array_item(const Value& array, uint32_t& offset, Value& item) {
  const uint8_t base = array.type & 0x7f;
  if (offset >= array.size) return false;
  if (base == vt::kString) {
    uint32_t end = offset;
    while (end + 1 < array.size && le16(array.data + end) != 0) end += 2;
    item = Value{base, array.data + offset, end - offset};
    offset = std::min(end + 2, array.size);
    return true;
  }
  const uint32_t size = fixed_size(base, 8);
  if (size == 0 || array.size - offset < size) return false;
  item = Value{base, array.data + offset, size};
  offset += size;
  return true;
}

int64_t filetime_to_ms(uint64_t filetime) {
  return (static_cast<int64_t>(filetime / 10000) - kFileTimeEpochDelta / 10000);
}

std::optional<int64_t> value_time_ms(const Value& v) {
  if (v.type == vt::kFileTime && v.size == 8) return filetime_to_ms(le64(v.data));
  if (v.type == vt::kSysTime && v.size == 16) {
    const uint8_t* p = v.data;
    return utc_ms(le16(p), le16(p + 2), le16(p + 6), le16(p + 8), le16(p + 10), le16(p + 12), le16(p + 14));
  }
  if (v.type == vt::kString) {
    std::string text;
    append_utf16(text, v.data, v.size);
    return parse_iso8601(text);
  }
  return std::nullopt;
}

}  // namespace kmsdiag::evtx
