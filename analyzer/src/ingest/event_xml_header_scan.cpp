#include "ingest/event_xml_header_scan.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include "ingest/byte_scan.hpp"

namespace kmsdiag {
namespace {

// Character classes. pugixml's whitespace: a text of only these is not a node, and it separates a tag's parts.
// Name characters this scan accepts: is_ascii_name_char(), and a name starts with a letter, '_' or ':';
// pugixml accepts these and more (any byte from 0x80), so it accepts every name this does. A value
// is read as it is written only without the odd characters: pugixml turns entity references, tabs and line
// ends in attribute values, and carriage returns in text, into something else.
enum : uint8_t { kSpace = 1, kNameStart = 2, kName = 4, kOddInAttribute = 8, kOddInText = 16 };
constexpr std::array<uint8_t, 256> kClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    if (is_ascii_name_char(ch)) t[c] |= (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ? kName : kNameStart | kName;
  }
  for (const unsigned char c : {' ', '\t', '\n', '\r'}) t[c] |= kSpace;
  for (const unsigned char c : {'&', '\t', '\n', '\r'}) t[c] |= kOddInAttribute;
  for (const unsigned char c : {'&', '\r'}) t[c] |= kOddInText;
  return t;
}();
bool is(char c, uint8_t cls) { return (kClass[static_cast<uint8_t>(c)] & cls) != 0; }

bool has_any(std::string_view v, uint8_t cls) {
  for (const char c : v)
    if (is(c, cls)) return true;
  return false;
}

// One System child element while it is open: the attributes the header may read, and its first text. A value
// is checked only when the header reads it: most are never read (Version, Task, Keywords, a Provider's Guid).
struct HeaderElement {
  static constexpr std::array<std::string_view, 4> kAttributes = {"Name", "EventSourceName", "Qualifiers",
                                                                  "SystemTime"};
  std::string_view local;
  std::array<std::string_view, 4> attributes;
  unsigned present = 0;        // a bit for each of kAttributes met
  const char* text = nullptr;  // the first text that is not all whitespace, as pugixml keeps it
  size_t text_size = 0;

  void start(std::string_view local_name) {
    local = local_name;
    present = 0;
    text = nullptr;
  }
  void attribute(std::string_view name, std::string_view value) {
    for (size_t k = 0; k < kAttributes.size(); ++k)
      if (name == kAttributes[k] && !(present & (1u << k))) {
        attributes[k] = value;
        present |= 1u << k;
      }
  }
  // False when the header read a value pugixml would not give as written.
  bool add_to(EventXmlHeaderBuilder& b) const {
    bool plain = true;
    b.element(
        local,
        [&] {
          const std::string_view t = text != nullptr ? std::string_view(text, text_size) : std::string_view();
          plain = plain && !has_any(t, kOddInText);
          return trim(t);
        },
        [&](std::string_view name) -> std::optional<std::string_view> {
          for (size_t k = 0; k < kAttributes.size(); ++k)
            if (name == kAttributes[k] && (present & (1u << k))) {
              plain = plain && !has_any(attributes[k], kOddInAttribute);
              return attributes[k];
            }
          return std::nullopt;
        });
    return plain;
  }
};

// One pass over the event's bytes, a tag at a time. Pointers, not offsets and views: this runs on every
// event of a log, and its cost must stay well under that of pugixml's parse, which it replaces.
class HeaderScan {
 public:
  HeaderScan(std::string_view s, const std::function<bool(const EventXmlHeader&)>& keep)
      : p_(s.data()), end_(s.data() + s.size()), keep_(keep) {}

  std::optional<EventXmlHeader> run() {
    if (p_ == end_ || *p_ != '<' || std::memchr(p_, 0, static_cast<size_t>(end_ - p_)) != nullptr) return std::nullopt;
    for (;;) {
      if (*p_ != '<') {
        const char* lt = find_byte(p_, end_, '<');
        if (lt == nullptr) return std::nullopt;
        text(std::string_view(p_, static_cast<size_t>(lt - p_)));
        p_ = lt;
      }
      if (++p_ == end_) return std::nullopt;
      if (!(*p_ == '/' ? end_tag() : start_tag())) return std::nullopt;
      if (depth_ == 0) break;  // the Event element has ended
      if (p_ == end_) return std::nullopt;
    }
    for (; p_ != end_; ++p_)
      if (!is(*p_, kSpace)) return std::nullopt;
    if (!system_seen_ && !keep_(header_.header())) return std::nullopt;
    return std::move(header_.header());
  }

 private:
  bool at(char c) const { return p_ != end_ && *p_ == c; }
  // Skips whitespace; whether there was any.
  bool skip_space() {
    const char* from = p_;
    while (p_ != end_ && is(*p_, kSpace)) ++p_;
    return p_ != from;
  }
  // A name: where it starts, its length (0: none) and where its local part (after its last ':') begins. Small
  // enough to come back in registers: returned through memory as two views, each tag's name was stored in
  // halves and read back whole, and that store-forwarding stall was a quarter of this scan's time.
  struct Name {
    const char* begin;
    uint32_t length, local_from;
    std::string_view name() const { return {begin, length}; }
    std::string_view local() const { return {begin + local_from, length - local_from}; }
  };
  Name name() {
    if (p_ == end_ || !is(*p_, kNameStart)) return {p_, 0, 0};
    const NameRun run = ascii_name_run(p_, end_);
    const Name n{p_, static_cast<uint32_t>(run.length),
                 run.last_colon == std::string_view::npos ? 0 : static_cast<uint32_t>(run.last_colon + 1)};
    p_ += run.length;
    return n;
  }

  // At what follows '<': the name, attributes, then '>' or "/>".
  bool start_tag() {
    const Name n = name();
    if (n.length == 0 || depth_ == kMaxScanDepth || ++elements_ > kMaxScanElements) return false;
    open_[depth_++] = n;
    const bool header_child = in_system_ && depth_ == 3;
    if (header_child) element_.start(n.local());
    if (depth_ == 2 && !system_seen_ && n.local() == "System") in_system_ = system_seen_ = true;
    for (;;) {
      // An attribute comes after whitespace: pugixml rejects one right after the name or a value.
      const bool spaced = skip_space();
      if (p_ == end_) return false;
      if (*p_ == '>') {
        ++p_;
        return true;
      }
      if (*p_ == '/') {
        if (++p_ == end_ || *p_ != '>') return false;
        ++p_;
        return close();
      }
      if (!spaced) return false;
      const Name attr = name();
      if (attr.length == 0) return false;
      skip_space();
      if (!at('=')) return false;
      ++p_;
      skip_space();
      if (!at('"') && !at('\'')) return false;
      const char* value = p_ + 1;
      const char* quote = find_byte(value, end_, *p_);
      if (quote == nullptr) return false;
      p_ = quote + 1;
      if (header_child) element_.attribute(attr.local(), std::string_view(value, static_cast<size_t>(quote - value)));
    }
  }

  // At the '/' of "</": the name of the element open last, whitespace, '>'.
  bool end_tag() {
    ++p_;
    if (depth_ == 0) return false;
    const Name& open = open_[depth_ - 1];
    if (!at_name(open)) return false;
    p_ += open.length;
    if (p_ != end_ && is(*p_, kName)) return false;  // a longer name
    skip_space();
    if (!at('>')) return false;
    ++p_;
    return close();
  }

  // Whether the bytes at p_ are `open`'s name. Inline, one block for a name of up to 16 bytes: every end tag
  // asks, and a call to memcmp cost more than the comparison.
  bool at_name(const Name& open) const {
    if (static_cast<size_t>(end_ - p_) < open.length) return false;
#if defined(__SSE2__)
    if (open.length <= 16 && end_ - p_ >= 16) {  // the open name lies before p_, so 16 bytes from it are there too
      const auto load = [](const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); };
      const auto same = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(load(p_), load(open.begin))));
      const unsigned wanted = (1u << open.length) - 1;
      return (same & wanted) == wanted;
    }
#endif
    return std::memcmp(p_, open.begin, open.length) == 0;
  }

  // The header is complete when System ends: the scan goes on only if the caller keeps the event.
  bool close() {
    const size_t depth = depth_--;
    if (!in_system_ || depth > 3) return true;
    if (depth == 3) return element_.add_to(header_);
    in_system_ = false;
    return keep_(header_.header());
  }

  // Text between tags: only a System child's own first text may be read.
  void text(std::string_view t) {
    if (!in_system_ || depth_ != 3 || element_.text != nullptr) return;
    for (const char c : t)
      if (!is(c, kSpace)) {
        element_.text = t.data();
        element_.text_size = t.size();
        return;
      }
  }

  const char* p_;
  const char* const end_;
  std::array<Name, kMaxScanDepth> open_;  // the open elements' names (not zeroed: only [0, depth_) is read)
  size_t depth_ = 0, elements_ = 0;
  bool in_system_ = false, system_seen_ = false;
  const std::function<bool(const EventXmlHeader&)>& keep_;
  HeaderElement element_;
  EventXmlHeaderBuilder header_;
};

}  // namespace

std::optional<EventXmlHeader> scan_event_xml_header(std::string_view event,
                                                    const std::function<bool(const EventXmlHeader&)>& keep) {
  return HeaderScan(event, keep).run();
}

}  // namespace kmsdiag
