#include "model/record.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cstdlib>

#include "model/printable_text.hpp"

namespace kmsdiag {

std::string SourceRef::describe() const {
  std::string out = path.str();
  if (!unit.empty() && position != 0) {
    out += unit == "line" ? fmt::format(":{}", position) : fmt::format(" {} {}", unit, position);
  }
  if (!record_id.empty()) out += fmt::format(" (EventRecordID {})", record_id);
  return out;
}

// A message may quote the input, and a path is a name from it: the line is made printable as a whole.
std::string Problem::describe() const { return printable(fmt::format("{}: {}", where.describe(), message)); }

namespace {
// Heap bytes of a string: none while it fits the small-string buffer inside the object.
size_t heap_bytes(const std::string& s) { return s.capacity() > std::string().capacity() ? s.capacity() + 1 : 0; }
}  // namespace

size_t Record::footprint() const {
  return sizeof(Record) + fields.heap_bytes() + kind.heap_bytes() + machine.heap_bytes() + source.path.heap_bytes() +
         source.unit.heap_bytes() + heap_bytes(source.record_id);
}

std::string_view trim(std::string_view text) {
  size_t b = 0, e = text.size();
  // ASCII only, without the C locale's per-character calls: this runs on every field of every event.
  const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (b < e && space(text[b])) ++b;
  while (e > b && space(text[e - 1])) --e;
  return text.substr(b, e - b);
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string ascii_upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::optional<double> to_number(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(text.data() + 2, text.data() + text.size(), v, 16);
    if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return static_cast<double>(v);
  }
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

// Days from civil date (Howard Hinnant's algorithm): avoids timegm's TZ/locale dependence.
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int64_t utc_ms(int year, int month, int day, int hour, int minute, int second, int millis) {
  const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return ((days * 24 + hour) * 60 + minute) * 60000 + static_cast<int64_t>(second) * 1000 + millis;
}

static bool read_int(std::string_view s, size_t& i, size_t digits, int& out) {
  if (i + digits > s.size()) return false;
  int v = 0;
  for (size_t k = 0; k < digits; ++k) {
    char c = s[i + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  i += digits;
  out = v;
  return true;
}

std::optional<int64_t> parse_iso8601(std::string_view s) {
  s = trim(s);
  size_t i = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, ms = 0;
  if (!read_int(s, i, 4, y) || i >= s.size() || s[i++] != '-' || !read_int(s, i, 2, mo) || i >= s.size() ||
      s[i++] != '-' || !read_int(s, i, 2, d))
    return std::nullopt;
  if (i < s.size() && (s[i] == 'T' || s[i] == ' ')) {
    ++i;
    if (!read_int(s, i, 2, h) || i >= s.size() || s[i++] != ':' || !read_int(s, i, 2, mi)) return std::nullopt;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!read_int(s, i, 2, se)) return std::nullopt;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      // Milliseconds from the first three digits; Windows writes seven (100 ns), and the rest are skipped.
      // No division per digit: this runs for every event's TimeCreated.
      int digits = 0;
      for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits)
        if (digits < 3) ms = ms * 10 + (s[i] - '0');
      for (; digits < 3; ++digits) ms *= 10;
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  int64_t t = utc_ms(y, mo, d, h, mi, se, ms);
  if (i < s.size() && s[i] == 'Z')
    ++i;
  else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {  // explicit offset: convert to UTC
    const int sign = s[i] == '+' ? 1 : -1;
    ++i;
    int oh = 0, om = 0;
    if (!read_int(s, i, 2, oh)) return std::nullopt;
    if (i < s.size() && s[i] == ':') ++i;
    read_int(s, i, 2, om);
    t -= sign * (oh * 60 + om) * 60000LL;
  }
  if (i != s.size()) return std::nullopt;
  return t;
}

std::string format_time(int64_t ms) {
  if (ms == kNoTime) return "";
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  const int millis = static_cast<int>(ms - secs * 1000);
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  // civil_from_days
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  if (y < 0 || y > 9999) {  // only damage dates this far: fmt pads and signs as before
    std::string out =
        fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, m, d, rem / 3600, rem % 3600 / 60, rem % 60);
    if (millis) out += fmt::format(".{:03}", millis);
    return out + 'Z';
  }
  // Digits written in place: this runs for every dated fact, and a six-field fmt::format costs thousands of
  // instructions parsing its format string each time.
  char buf[24] = "0000-00-00T00:00:00.000";
  const auto put = [&buf](size_t at, size_t width, int64_t v) {
    for (size_t k = width; k-- > 0; v /= 10) buf[at + k] = static_cast<char>('0' + v % 10);
  };
  put(0, 4, y);
  put(5, 2, m);
  put(8, 2, d);
  put(11, 2, rem / 3600);
  put(14, 2, rem % 3600 / 60);
  put(17, 2, rem % 60);
  size_t size = 19;
  if (millis) {
    put(20, 3, millis);
    size = 23;
  }
  buf[size++] = 'Z';
  return std::string(buf, size);
}

}  // namespace kmsdiag
