#include "ingest/event_xml_header_scan.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include "ingest/byte_scan.hpp"
#include "ingest/event_xml_header_tracker.hpp"

namespace kmsdiag {
namespace {

// One pass over the event's bytes, a tag at a time, telling the tracker what it meets (and the shape, when it
// records one). Pointers, not offsets and views: this runs on every event of a log, and its cost must stay well
// under that of pugixml's parse, which it replaces.
class HeaderScan {
 public:
  HeaderScan(std::string_view s, const KeepHeader& keep, EventShape* shape)
      : p_(s.data()), end_(s.data() + s.size()), header_(keep), shape_(shape) {
    if (shape_ != nullptr) shape_->start(p_);
  }

  std::optional<EventXmlHeader> run() {
    if (p_ == end_ || *p_ != '<' || std::memchr(p_, 0, static_cast<size_t>(end_ - p_)) != nullptr) return std::nullopt;
    for (;;) {
      if (*p_ != '<') {
        const char* lt = find_byte(p_, end_, '<');
        if (lt == nullptr) return std::nullopt;
        const bool read = header_.reads_text();
        if (read) header_.text(std::string_view(p_, static_cast<size_t>(lt - p_)));
        if (shape_ != nullptr) shape_->value(p_, lt, '<', {}, read);
        p_ = lt;
      }
      if (++p_ == end_) return std::nullopt;
      if (!(*p_ == '/' ? end_tag() : start_tag())) return std::nullopt;
      if (header_.depth() == 0) break;  // the Event element has ended
      if (p_ == end_) return std::nullopt;
    }
    if (shape_ != nullptr) shape_->end(p_);
    for (; p_ != end_; ++p_)
      if (!is(*p_, kXmlSpace)) return std::nullopt;
    return header_.finish();
  }

 private:
  static bool is(char c, uint8_t cls) { return is_xml_class(c, cls); }
  bool at(char c) const { return p_ != end_ && *p_ == c; }
  // Skips whitespace; whether there was any.
  bool skip_space() {
    const char* from = p_;
    while (p_ != end_ && is(*p_, kXmlSpace)) ++p_;
    return p_ != from;
  }
  // A name: where it starts, its length (0: none) and where its local part (after its last ':') begins. Small
  // enough to come back in registers: returned through memory as two views, each tag's name was stored in
  // halves and read back whole, and that store-forwarding stall was a quarter of this scan's time.
  struct Name {
    const char* begin;
    uint32_t length, local_from;
    std::string_view local() const { return {begin + local_from, length - local_from}; }
  };
  Name name() {
    if (p_ == end_ || !is(*p_, kXmlNameStart)) return {p_, 0, 0};
    const NameRun run = ascii_name_run(p_, end_);
    const Name n{p_, static_cast<uint32_t>(run.length),
                 run.last_colon == std::string_view::npos ? 0 : static_cast<uint32_t>(run.last_colon + 1)};
    p_ += run.length;
    return n;
  }

  // At what follows '<': the name, attributes, then '>' or "/>".
  bool start_tag() {
    const Name n = name();
    if (n.length == 0 || header_.depth() == kMaxScanDepth || ++elements_ > kMaxScanElements) return false;
    open_[header_.depth()] = n;
    if (!tell(header_.open(n.local()), n.local())) return false;
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
      const bool read = header_.reads_attribute(attr.local());
      if (read) header_.attribute(attr.local(), std::string_view(value, static_cast<size_t>(quote - value)));
      if (shape_ != nullptr) shape_->value(value, quote, *p_, attr.local(), read);
      p_ = quote + 1;
    }
  }

  // At the '/' of "</": the name of the element open last, whitespace, '>'.
  bool end_tag() {
    ++p_;
    if (header_.depth() == 0) return false;
    const Name& open = open_[header_.depth() - 1];
    // The open name lies before p_ in the same bytes, as same_bytes() needs.
    if (static_cast<size_t>(end_ - p_) < open.length || !same_bytes(p_, end_, open.begin, open.length)) return false;
    p_ += open.length;
    if (p_ != end_ && is(*p_, kXmlName)) return false;  // a longer name
    skip_space();
    if (!at('>')) return false;
    ++p_;
    return close();
  }

  bool close() { return tell(header_.close(), {}); }

  // Applies a tag's effect on the header, and records it.
  bool tell(EventXmlHeaderTracker::Effect effect, std::string_view local) {
    if (effect == EventXmlHeaderTracker::Effect::kNone) return true;
    if (shape_ != nullptr) shape_->effect(effect, local);
    return header_.apply(effect, local);
  }

  const char* p_;
  const char* const end_;
  std::array<Name, kMaxScanDepth> open_;  // the open elements' names (not zeroed: only [0, depth) is read)
  size_t elements_ = 0;
  EventXmlHeaderTracker header_;
  EventShape* const shape_;
};

}  // namespace

std::optional<EventXmlHeader> scan_event_xml_header(std::string_view event, const KeepHeader& keep, EventShape* shape) {
  return HeaderScan(event, keep, shape).run();
}

std::optional<EventXmlHeader> EventXmlHeaderScanner::scan(std::string_view event, const KeepHeader& keep) {
  std::optional<EventXmlHeader> header;
  if (shapes_.replay(event, keep, header)) {
    ++replayed_;
    return header;
  }
  if (shapes_.full()) return scan_event_xml_header(event, keep);
  header = scan_event_xml_header(event, keep, &shape_);
  if (header) shapes_.learn(shape_);
  return header;
}

}  // namespace kmsdiag
