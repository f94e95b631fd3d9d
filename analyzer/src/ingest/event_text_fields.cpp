#include "ingest/event_text_fields.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace kmsdiag {
namespace {

constexpr std::string_view kLevelPrefix = "level_";

// Case- and space-insensitive form of a label; the full-width colon becomes ':'.
std::string normalize_label(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t') continue;
    if (text.substr(i, 3) == "\xE3\x80\x80") {  // U+3000 ideographic space
      i += 2;
      continue;
    }
    if (text.substr(i, 3) == "\xEF\xBC\x9A") {  // U+FF1A full-width colon
      out += ':';
      i += 2;
      continue;
    }
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool is_hex_code(std::string_view s) {
  if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  for (char c : s.substr(2))
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool is_guid(std::string_view s) {
  if (s.size() == 38 && s.front() == '{' && s.back() == '}') s = s.substr(1, 36);
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace

EventLabels::EventLabels(const Knowledge& kb) {
  if (const auto* table = kb.labels("eventlog"))
    for (const auto& [label, key] : *table) by_label_.emplace(normalize_label(label), key);
}

std::string_view EventLabels::key(std::string_view label) const {
  std::string norm = normalize_label(trim(label));
  if (!norm.empty() && norm.back() == ':') norm.pop_back();
  const auto it = by_label_.find(norm);
  if (it == by_label_.end() || it->second == "info" || it->second.starts_with(kLevelPrefix)) return {};
  return it->second;
}

std::string_view EventLabels::exact_key(std::string_view label) const {
  const auto it = by_label_.find(normalize_label(trim(label)));
  return it == by_label_.end() ? std::string_view() : std::string_view(it->second);
}

std::string EventLabels::level_number(std::string_view text) const {
  text = trim(text);
  if (all_digits(text)) return std::string(text);
  const auto it = by_label_.find(normalize_label(text));
  if (it != by_label_.end() && it->second.starts_with(kLevelPrefix)) return it->second.substr(kLevelPrefix.size());
  return std::string(text);
}

std::optional<std::pair<std::string, std::string>> split_label_line(std::string_view line, const EventLabels& labels) {
  size_t colon = line.find(':');
  size_t after = colon + 1;
  const size_t wide = line.find("\xEF\xBC\x9A");
  if (wide != std::string_view::npos && (colon == std::string_view::npos || wide < colon))
    colon = wide, after = wide + 3;
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view key = labels.key(line.substr(0, colon));
  if (key.empty()) return std::nullopt;
  return std::make_pair(std::string(key), std::string(trim(line.substr(after))));
}

namespace {

// The numbers of a culture-formatted date and time in order, each with its digit count and the
// separator before it, and the AM/PM marker.
struct DateTokens {
  std::vector<std::pair<int64_t, size_t>> nums;  // value, digit count
  std::vector<char> seps;                        // separator before each number
  std::optional<bool> pm;
  int offset_sign = 0;
};

bool is_dotnet_or_iso(std::string_view text) {
  return text.find("Date(") != std::string_view::npos || (text.size() >= 11 && text[4] == '-' && text[10] == 'T');
}

DateTokens tokenize_date(std::string_view text) {
  struct Marker {
    std::string_view text;
    bool pm;
  };
  static constexpr std::array<Marker, 6> kMarkers = {{{"AM", false},
                                                      {"PM", true},
                                                      {"\xE5\x8D\x88\xE5\x89\x8D", false},   // 午前
                                                      {"\xE5\x8D\x88\xE5\xBE\x8C", true},    // 午後
                                                      {"\xE4\xB8\x8A\xE5\x8D\x88", false},   // 上午
                                                      {"\xE4\xB8\x8B\xE5\x8D\x88", true}}};  // 下午
  DateTokens t;
  char sep = ' ';
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isdigit(c)) {
      size_t j = i;
      int64_t v = 0;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])) && j - i < 9)
        v = v * 10 + (text[j++] - '0');
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      t.nums.emplace_back(v, j - i);
      t.seps.push_back(sep);
      sep = ' ';
      i = j;
      continue;
    }
    bool matched = false;
    for (const auto& m : kMarkers) {
      if (text.size() - i >= m.text.size() && ascii_lower(text.substr(i, m.text.size())) == ascii_lower(m.text)) {
        t.pm = m.pm;
        i += m.text.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if ((c == '+' || c == '-') && t.nums.size() >= 5) t.offset_sign = c == '+' ? 1 : -1;
    if (c == '/' || c == '-' || c == '.' || c == ':') sep = static_cast<char>(c);
    ++i;
  }
  return t;
}

// A date written day/month/year or month/day/year (the year third).
bool year_last(const DateTokens& t) { return t.nums.size() >= 5 && t.nums[0].second != 4 && t.nums[2].second == 4; }

}  // namespace

DateOrderEvidence date_order_evidence(std::string_view text) {
  text = trim(text);
  if (is_dotnet_or_iso(text)) return {};
  const DateTokens t = tokenize_date(text);
  if (!year_last(t)) return {};
  if (t.seps[1] == '.' || t.nums[0].first > 12) return {DayMonth::day_first, DayMonth::unknown, false};
  if (t.nums[1].first > 12) return {DayMonth::month_first, DayMonth::unknown, false};
  // Both orders fit. How the date is written still hints at the culture: en-US writes "3/8/2024
  // 2:05:09 PM" (12-hour clock, no padding), en-GB "08/03/2024 14:05:09".
  DayMonth hint = DayMonth::unknown;
  if (t.pm || t.nums[0].second == 1 || t.nums[1].second == 1)
    hint = DayMonth::month_first;
  else if (t.nums[0].second == 2 && t.nums[1].second == 2)
    hint = DayMonth::day_first;
  return {DayMonth::unknown, hint, true};
}

std::optional<int64_t> parse_event_time(std::string_view text, bool& local, DayMonth order) {
  text = trim(text);
  local = false;
  // .NET JSON dates: "/Date(1700000000000)/" (ms since the epoch, UTC; a "+0900" suffix is display only).
  if (const size_t d = text.find("Date("); d != std::string_view::npos) {
    int64_t ms = 0;
    const char* b = text.data() + d + 5;
    const auto [p, ec] = std::from_chars(b, text.data() + text.size(), ms);
    if (ec != std::errc() || p == b) return std::nullopt;
    return ms;
  }
  if (text.size() >= 11 && text[4] == '-' && text[10] == 'T') {
    const auto t = parse_iso8601(text);
    const std::string_view clock = text.substr(11);
    local = t && clock.find_first_of("Z+-") == std::string_view::npos;
    return t;
  }
  // Culture-formatted date and time: take the numbers in order and the AM/PM marker.
  const DateTokens tokens = tokenize_date(text);
  const auto& nums = tokens.nums;
  const auto& seps = tokens.seps;
  const std::optional<bool> pm = tokens.pm;
  const int offset_sign = tokens.offset_sign;
  if (nums.size() < 5) return std::nullopt;
  int64_t y, mo, d;
  if (nums[0].second == 4) {
    y = nums[0].first, mo = nums[1].first, d = nums[2].first;
  } else if (nums[2].second == 4) {
    // Day first when the separator is '.' (German style) or the first number cannot be a month; month
    // first when the second cannot be; otherwise as the file's order says (month first when unknown).
    const bool day_first =
        seps[1] == '.' || nums[0].first > 12 || (nums[1].first <= 12 && order == DayMonth::day_first);
    y = nums[2].first, mo = day_first ? nums[1].first : nums[0].first, d = day_first ? nums[0].first : nums[1].first;
  } else {
    return std::nullopt;
  }
  int64_t h = nums[3].first, mi = nums[4].first, s = 0, ms = 0;
  size_t next = 5;
  if (nums.size() > next && seps[next] == ':') s = nums[next++].first;
  if (nums.size() > next && seps[next] == '.') {  // fraction of a second
    int64_t frac = nums[next].first;
    for (size_t digits = nums[next].second; digits > 3; --digits) frac /= 10;
    for (size_t digits = nums[next].second; digits < 3; ++digits) frac *= 10;
    ms = frac;
    ++next;
  }
  if (pm) {
    if (h < 1 || h > 12) return std::nullopt;
    h = (h % 12) + (*pm ? 12 : 0);
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1601 || y > 9999) return std::nullopt;
  int64_t t = utc_ms(static_cast<int>(y), static_cast<int>(mo), static_cast<int>(d), static_cast<int>(h),
                     static_cast<int>(mi), static_cast<int>(s), static_cast<int>(ms));
  if (offset_sign != 0 && nums.size() > next) {
    // "+09:00" or "+0900"
    int64_t oh = nums[next].first, om = nums.size() > next + 1 ? nums[next + 1].first : 0;
    if (nums[next].second == 4) oh = nums[next].first / 100, om = nums[next].first % 100;
    t -= offset_sign * (oh * 60 + om) * 60000;
  } else {
    local = true;
  }
  return t;
}

std::string payload_line(std::string_view message, const EventLabels& labels) {
  std::string_view last;
  bool after_info = false;
  while (!message.empty()) {
    const size_t nl = message.find('\n');
    const std::string_view line = trim(message.substr(0, nl));
    message = nl == std::string_view::npos ? std::string_view() : message.substr(nl + 1);
    if (line.empty()) continue;
    if (after_info) return std::string(line);
    // "Info:" alone, or "Info:  0x80072338" (12293 shows it on one line).
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && labels.exact_key(line.substr(0, colon + 1)) == "info") {
      const std::string_view rest = trim(line.substr(colon + 1));
      if (!rest.empty()) return std::string(rest);
      after_info = true;
      continue;
    }
    last = line;
  }
  return std::string(last);
}

// Field shapes of the comma-separated KMS payloads (docs: kms-reference.md §1.2, §2.1, §2.2):
// x = hex code, n = decimal, g = GUID, t = date/time, h = host:port, s = other text, e = empty.
//   12288 client request: hresult, status, host:port, cmid, time, vm, license status, minutes, act id, n-policy
//   12289 client response: hresult, status, activated, unused, count, activation/renewal interval, time
//   12290 host request: hresult, n-policy, client name, cmid, time, vm, license status, minutes, act id
// The n-policy of 12288 may be empty (a real Azure sample ends with ", "), so a trailing empty field is
// dropped before matching and the 9-field 12288 shape is listed too.
std::string infer_event_id(std::string_view payload) {
  struct Shape {
    std::string_view signature;
    std::string_view event_id;
  };
  static constexpr std::array<Shape, 4> kShapes = {
      {{"xxhgtnnngn", "12288"}, {"xxhgtnnng", "12288"}, {"xxnnnnnt", "12289"}, {"xnsgtnnng", "12290"}}};
  std::string sig;
  while (sig.size() <= 12) {
    const size_t comma = payload.find(',');
    const std::string_view tok = trim(payload.substr(0, comma));
    char c = 's';
    if (tok.empty())
      c = 'e';
    else if (is_hex_code(tok))
      c = 'x';
    else if (all_digits(tok))
      c = 'n';
    else if (is_guid(tok))
      c = 'g';
    else if (tok.find('/') != std::string_view::npos && tok.find(':') != std::string_view::npos)
      c = 't';
    else if (tok.find(':') != std::string_view::npos && tok.find(' ') == std::string_view::npos)
      c = 'h';
    sig += c;
    if (comma == std::string_view::npos) break;
    payload = payload.substr(comma + 1);
  }
  if (!sig.empty() && sig.back() == 'e') sig.pop_back();
  for (const auto& s : kShapes)
    if (s.signature == sig) return std::string(s.event_id);
  return "";
}

Record make_event_record(TextEvent&& ev, const EventLabels& labels, std::string_view format, const std::string& path,
                         std::string& problem, DayMonth order) {
  problem.clear();
  Record r;
  r.kind = "event";
  r.source = SourceRef{path, "line", ev.line, ev.record_id};
  r.machine = std::move(ev.machine);
  if (!trim(ev.time_text).empty()) {
    bool local = false;
    if (const auto t = parse_event_time(ev.time_text, local, order)) {
      r.time_ms = *t;
      if (local) ev.extra.push_back({"time_local", "1"});
    } else {
      problem = fmt::format("unreadable date/time '{}'", trim(ev.time_text).substr(0, 80));
    }
  }
  // Low 16 bits, as the XML reader does: classic sources put qualifier bits in the high word.
  std::string event_id(trim(ev.event_id));
  if (const auto n = to_number(event_id); n && *n >= 0 && *n < 4294967296.0)
    event_id = std::to_string(static_cast<uint64_t>(*n) & 0xFFFF);
  if (ev.data.empty() && !ev.message.empty()) ev.data.push_back(payload_line(ev.message, labels));
  const auto put = [&r](std::string_view key, std::string value) {
    if (!value.empty()) r.fields.push_back({std::string(key), std::move(value)});
  };
  put("event_id", std::move(event_id));
  put("provider", std::move(ev.provider));
  put("channel", std::move(ev.channel));
  put("record_id", std::move(ev.record_id));
  put("level", labels.level_number(ev.level));
  put("qualifiers", std::move(ev.qualifiers));
  for (size_t i = 0; i < ev.data.size(); ++i) r.fields.push_back({fmt::format("data.{}", i), std::move(ev.data[i])});
  for (auto& [name, value] : ev.named_data) r.fields.push_back({"data." + name, std::move(value)});
  r.fields.push_back({"data_count", std::to_string(ev.data.size())});
  put("message", std::move(ev.message));
  r.fields.push_back({"format", std::string(format)});
  for (auto& f : ev.extra) r.fields.push_back(std::move(f));
  return r;
}

bool set_event_field(TextEvent& ev, std::string_view key, std::string&& value) {
  std::string* member = key == "event_id"     ? &ev.event_id
                        : key == "provider"   ? &ev.provider
                        : key == "channel"    ? &ev.channel
                        : key == "time"       ? &ev.time_text
                        : key == "level"      ? &ev.level
                        : key == "machine"    ? &ev.machine
                        : key == "record_id"  ? &ev.record_id
                        : key == "qualifiers" ? &ev.qualifiers
                        : key == "message"    ? &ev.message
                                              : nullptr;
  if (!member) return false;
  *member = std::move(value);
  return true;
}

void TextEventOutput::begin(const std::string& path, RecordSink& sink) {
  path_ = path;
  sink_ = &sink;
  stats_ = {};
  order_ = DayMonth::unknown;
  waiting_.clear();
  day_first_hints_ = month_first_hints_ = 0;
  ambiguous_line_ = 0;
  contradiction_reported_ = false;
}

void TextEventOutput::problem(uint64_t line, const std::string& message) {
  ++stats_.problems;
  sink_->on_problem(Problem{{path_, "line", line, ""}, fmt::format("line {}: {}", line, message)});
}

void TextEventOutput::record(Record&& r) {
  if (!waiting_.empty()) {  // records stay in input order
    waiting_.push_back({std::move(r), ""});
    return;
  }
  ++stats_.records;
  sink_->on_record(std::move(r));
}

namespace {
std::string_view order_name(DayMonth order) {
  return order == DayMonth::day_first ? "day/month (dd/mm/yyyy)" : "month/day (mm/dd/yyyy)";
}
}  // namespace

void TextEventOutput::emit(TextEvent&& ev, const std::string& bad_id) {
  const uint64_t line = ev.line;
  if (!to_number(ev.event_id)) return problem(line, bad_id);
  if (const size_t items = ev.data.size() + ev.named_data.size(); items > kMaxDataItems) {
    problem(line, too_many_data_items(items));
    ev.data.resize(std::min(ev.data.size(), kMaxDataItems));
    ev.named_data.resize(std::min(ev.named_data.size(), kMaxDataItems - ev.data.size()));
  }
  std::string time_text(trim(ev.time_text));
  const DateOrderEvidence evidence = date_order_evidence(time_text);
  if (order_ == DayMonth::unknown && evidence.proves != DayMonth::unknown) {
    decide(evidence.proves, "");
  } else if (order_ != DayMonth::unknown && evidence.proves != DayMonth::unknown && evidence.proves != order_ &&
             !contradiction_reported_) {
    contradiction_reported_ = true;
    problem(line, fmt::format("date '{}' reads only as {}, unlike the file's other dates ({}); read as it reads",
                              time_text, order_name(evidence.proves), order_name(order_)));
  }
  std::string time_problem;
  Record r = make_event_record(std::move(ev), labels_, format_, path_, time_problem, order_);
  if (!time_problem.empty()) problem(line, time_problem);
  if (order_ != DayMonth::unknown || !evidence.ambiguous) return record(std::move(r));
  if (ambiguous_line_ == 0) ambiguous_line_ = line, ambiguous_text_ = time_text;
  day_first_hints_ += evidence.hints == DayMonth::day_first;
  month_first_hints_ += evidence.hints == DayMonth::month_first;
  waiting_.push_back({std::move(r), std::move(time_text)});
  if (waiting_.size() >= kMaxWaiting) flush();
}

void TextEventOutput::decide(DayMonth order, const std::string& why) {
  order_ = order;
  if (ambiguous_line_ != 0 && !why.empty())
    problem(ambiguous_line_, fmt::format("dates such as '{}' fit both day/month and month/day; read as {}: {}",
                                         ambiguous_text_, order_name(order), why));
  std::vector<Waiting> waiting = std::move(waiting_);
  waiting_.clear();
  for (Waiting& w : waiting) {
    bool local = false;
    if (!w.time_text.empty())
      if (const auto t = parse_event_time(w.time_text, local, order_)) w.record.time_ms = *t;
    record(std::move(w.record));
  }
}

void TextEventOutput::flush() {
  if (waiting_.empty()) return;
  // en-US style dates read month first without a word, as they always were; any other choice is said.
  if (day_first_hints_ > month_first_hints_)
    decide(DayMonth::day_first,
           "no date in the file tells, and most are written as en-GB Windows writes them "
           "(zero-padded day and month, 24-hour clock)");
  else if (month_first_hints_ > 0 && day_first_hints_ == 0)
    decide(DayMonth::month_first, "");
  else
    decide(DayMonth::month_first, "no date in the file tells, nor how they are written; month/day is the default");
}

ReadStats TextEventOutput::finish(uint64_t bytes) {
  flush();
  stats_.bytes = bytes;
  return stats_;
}

}  // namespace kmsdiag
