#include "ingest/event_xml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include "ingest/byte_scan.hpp"
#include "ingest/event_xml_block_buffer.hpp"
#include "ingest/event_xml_markup.hpp"
#include "ingest/event_xml_ranges.hpp"
#include "ingest/record_parts.hpp"

namespace kmsdiag {
namespace {

constexpr std::string_view kEventName = "Event";
constexpr std::string_view kEventNamespace = "http://schemas.microsoft.com/win/2004/08/events/event";

// Counts what reaches the sink, for ReadStats: with ranges parsed on other threads, that is the
// only place that sees every record and problem.
class StatsSink final : public RecordSink {
 public:
  StatsSink(RecordSink& next, ReadStats& stats) : next_(next), stats_(stats) {}
  void on_record(Record&& r) override {
    ++stats_.records;
    next_.on_record(std::move(r));
  }
  void on_problem(Problem&& p) override {
    ++stats_.problems;
    next_.on_problem(std::move(p));
  }
  void on_unused_event(UnusedEvent&& e) override {
    ++stats_.records;
    next_.on_unused_event(std::move(e));
  }
  std::unique_ptr<RecordPart> part() override {
    return std::make_unique<CountingPart>(next_, 0, [this](PartCounts& c) {
      stats_.records += c.records;
      stats_.problems += c.problems;
    });
  }

 private:
  RecordSink& next_;
  ReadStats& stats_;
};

// One read() over one source: the scanner state between and inside events. The scanner finds each
// event's extent; EventXmlRanges parses it (here or on other threads).
class EventXmlScan {
 public:
  EventXmlScan(ByteSource& in, RecordSink& sink, const EventXmlOptions& options, const Knowledge* kb, unsigned threads)
      : in_(in),
        stats_sink_(sink, stats_),
        events_(stats_sink_, in.path(), kb, threads, options.range_size),
        max_event_(std::max<size_t>(options.max_event_size, 1)),
        buf_(in, options.block_size, std::max(max_event_, kMaxMarkupLookahead) + options.block_size) {
    if (!events_.threaded()) return;
    // Blocks for as many ranges as the threads parse at once, and one the reading goes on in.
    blocks_.emplace(buf_.capacity(), 2 + threads / 2);
    buf_.share_blocks([this] {
      // The range gathered so far holds the full block: handed on first, it cannot keep get() waiting.
      events_.flush();
      return blocks_->get();
    });
  }

  ReadStats run() {
    for (;;) {
      if (buf_.size() == 0 && !buf_.fill()) break;
      // The view is capped so an unterminated declaration or comment is judged after a bounded look.
      const MarkupSpan m =
          classify_markup(buf_.view().substr(0, kMaxMarkupLookahead), buf_.eof() || buf_.size() >= kMaxMarkupLookahead);
      switch (m.kind) {
        case Markup::kNeedMore:
          buf_.fill();  // when this adds nothing the buffer is full or at EOF: the next pass decides
          break;
        case Markup::kWhitespace:
          buf_.consume(m.length);  // whitespace inside a run of garbage does not end the run
          break;
        case Markup::kRootTag:
        case Markup::kSkip:
          end_garbage();
          buf_.consume(m.length);
          break;
        case Markup::kGarbage:
          add_garbage(m.length);
          break;
        case Markup::kEventStart:
          end_garbage();
          read_event(m.name_length);
          break;
      }
    }
    end_garbage();
    events_.finish();
    stats_.bytes = buf_.bytes_read();
    return stats_;
  }

 private:
  void problem(uint64_t line, std::string message) {
    events_.add_problem(Problem{{in_.path(), "line", line, ""}, std::move(message)});
  }
  std::string about_event(std::string_view what) const {
    return EventXmlParser::describe({record_no_, event_line_}, what);
  }

  void add_garbage(size_t n) {
    if (garbage_bytes_ == 0) garbage_line_ = buf_.line();
    garbage_last_line_ = buf_.line();
    garbage_bytes_ += n;
    buf_.consume(n);
  }

  // One problem per run of unrecognized bytes, however long, reported when the run ends.
  void end_garbage() {
    if (garbage_bytes_ == 0) return;
    const std::string lines = garbage_last_line_ > garbage_line_
                                  ? fmt::format("lines {}-{}", garbage_line_, garbage_last_line_)
                                  : fmt::format("line {}", garbage_line_);
    problem(garbage_line_,
            fmt::format("{}: skipped {} non-blank bytes that are not Windows event XML", lines, garbage_bytes_));
    garbage_bytes_ = 0;
  }

  // Makes more input available while scanning an event whose bytes before `pos` are already
  // scanned. Once the event outgrows the limit it is reported and its scanned bytes are dropped
  // as the scan goes on, so memory stays bounded; `pos` is shifted accordingly.
  bool more(size_t& pos) {
    if (!discarding_ && buf_.size() >= max_event_) {
      problem(event_line_, about_event(fmt::format("event larger than {} bytes, skipped", max_event_)));
      discarding_ = true;
    }
    if (discarding_) {
      buf_.consume(pos);
      pos = 0;
    }
    return buf_.fill();
  }

  // Offset of `needle` at or after `from`, reading on as needed; npos when the input ends first.
  size_t find(size_t from, std::string_view needle) {
    for (;;) {
      const size_t at = buf_.view().find(needle, from);
      if (at != std::string_view::npos) return at;
      if (buf_.size() >= needle.size()) from = std::max(from, buf_.size() - needle.size() + 1);
      if (!more(from)) return std::string_view::npos;
    }
  }

  void truncated(std::string_view why) {
    if (!discarding_) {
      problem(event_line_, about_event(fmt::format("truncated event XML: {}", why)));
    }
  }

  // The current event was cut short by another one starting at offset `at`: report, drop the
  // partial event and leave the next one at the front of the buffer.
  void cut_short(size_t at) {
    truncated(fmt::format("a new event starts at line {} before </{}>", buf_.line() + count_newlines(buf_.data(), at),
                          name_));
    buf_.consume(at);
  }

  // The buffer starts with an Event start tag whose qualified name is `name_length` bytes long.
  // Finds the element's end, hands it to be parsed and drops it; or reports why it cannot.
  void read_event(size_t name_length) {
    ++record_no_;
    event_line_ = buf_.line();
    discarding_ = false;
    name_.assign(buf_.data() + 1, name_length);
    const size_t end = find_event_end(1 + name_length);
    if (end == std::string_view::npos) return;
    if (discarding_) {
      buf_.consume(end);
      return;
    }
    const uint64_t newlines = count_newlines(buf_.data(), end);
    events_.add_event(buf_.data(), end, {record_no_, event_line_}, buf_.block());
    buf_.consume_counted(end, newlines);  // an in-place parse has overwritten the bytes
  }

  // What the "Event" at offset `at` belongs to: this event's end tag, another event's start tag,
  // or neither ("<EventData", "</EventID", text). Needs the name's prefix before `at` in the buffer.
  enum class EventName { kOther, kEndTag, kStartTag };
  EventName event_name_at(size_t at) const {
    const std::string_view v = buf_.view();
    const size_t after = at + kEventName.size();
    // Either tag's name ends right after "Event", at a space, '>' or '/' (the search passes over "EventData",
    // "EventID" and the like; a hit at the end of the buffer is not decided yet).
    if (after >= v.size() || (!is_xml_space(v[after]) && v[after] != '>' && v[after] != '/')) return EventName::kOther;
    size_t lt = at;
    while (lt > 0 && at - lt <= kMaxEventNameLookahead && v[lt - 1] != '<') --lt;
    if (lt == 0 || v[lt - 1] != '<') return EventName::kOther;
    const std::string_view tag = v.substr(lt - 1);  // from '<'
    bool need_more = false;
    if (tag.size() > 1 && tag[1] == '/') {
      const size_t n = match_qualified_name(tag.substr(2), kEventName, true, need_more);
      return n == name_.size() && tag.substr(2, n) == name_ && (is_xml_space(tag[2 + n]) || tag[2 + n] == '>') &&
                     lt + 1 + n == after
                 ? EventName::kEndTag
                 : EventName::kOther;
    }
    return lt + match_qualified_name(tag.substr(1), kEventName, true, need_more) == after ? EventName::kStartTag
                                                                                          : EventName::kOther;
  }

  // Offset just past the end tag of the element that starts the buffer, or npos after reporting a
  // truncated event (and consuming it) when the input ends or another event starts first. One
  // search for "Event" as a tag name finds both: every hit is checked for "</name>" and "<[prefix:]Event ".
  size_t find_event_end(size_t i) {
    // The start tag: a "/>" end makes an empty element. A '<' means a broken tag; pugixml will say.
    for (;;) {
      if (i >= buf_.size() && !more(i)) return at_eof();
      const char* const end = buf_.data() + buf_.size();
      i = static_cast<size_t>(find_first_of(buf_.data() + i, end, std::array{'<', '>'}) - buf_.data());
      if (i == buf_.size()) continue;
      if (buf_.data()[i] == '>' && !discarding_ && buf_.data()[i - 1] == '/') return i + 1;
      break;
    }
    // Bytes kept before the search point when discarding, so a tag's "</prefix:" stays visible.
    constexpr size_t kKeep = kMaxEventNameLookahead + 2;
    for (;;) {
      const size_t from = std::min(i, buf_.size());
      const size_t found = find_tag_name(buf_.view().substr(from), kEventName);
      if (found == std::string_view::npos) {
        i = std::max(i, buf_.size() >= kEventName.size() ? buf_.size() - kEventName.size() + 1 : 0);
        if (!refill_keeping(i, kKeep)) return at_eof();
        continue;
      }
      const size_t at = from + found;
      if (at + kEventName.size() >= buf_.size() && !buf_.eof()) {  // the boundary byte is not here yet
        i = at;
        refill_keeping(i, kKeep);
        continue;
      }
      // Inside a CDATA section or a comment "<Event" and "</Event>" are text (a message quoting XML).
      EventName name = event_name_at(at);
      if (name != EventName::kOther && in_text_section(at)) name = EventName::kOther;
      switch (name) {
        case EventName::kEndTag: {
          const size_t close = find(at + kEventName.size(), ">");
          return close == std::string_view::npos ? at_eof() : close + 1;
        }
        case EventName::kStartTag: {
          size_t lt = at;
          while (buf_.data()[lt] != '<') --lt;
          cut_short(lt);
          return std::string_view::npos;
        }
        case EventName::kOther:
          i = at + 1;
          break;
      }
    }
  }

  // Whether offset `at` of the event that starts the buffer lies inside a CDATA section or a comment
  // opened before it and not closed yet. Asked once per event (at its end tag), so the common case
  // must be cheap: most events hold no "<!", and '!' is rare enough for memchr to rule that out.
  bool in_text_section(size_t at) const {
    const std::string_view before = buf_.view().substr(0, at);
    bool markup = false;
    for (size_t bang = before.find('!', 1); bang != std::string_view::npos && !markup;
         bang = before.find('!', bang + 1))
      markup = before[bang - 1] == '<';
    if (!markup) return false;
    for (const auto& [open, close] : {std::pair<std::string_view, std::string_view>{"<![CDATA[", "]]>"},
                                      std::pair<std::string_view, std::string_view>{"<!--", "-->"}}) {
      const size_t opened = before.rfind(open);
      if (opened != std::string_view::npos && before.find(close, opened + open.size()) == std::string_view::npos)
        return true;
    }
    return false;
  }

  // more() for the "Event" search: when discarding, keeps `keep` bytes before `pos`.
  bool refill_keeping(size_t& pos, size_t keep) {
    size_t drop = pos > keep ? pos - keep : 0;
    const bool got = more(drop);
    pos = drop + std::min(pos, keep);
    return got;
  }

  size_t at_eof() {
    truncated(fmt::format("the input ends before </{}>", name_));
    buf_.consume(buf_.size());
    return std::string_view::npos;
  }

  ByteSource& in_;
  ReadStats stats_;
  StatsSink stats_sink_;
  EventXmlRanges events_;
  size_t max_event_;
  std::optional<EventXmlBlockPool> blocks_;  // when events_ is threaded()
  EventXmlBlockBuffer buf_;
  uint64_t garbage_bytes_ = 0, garbage_line_ = 0, garbage_last_line_ = 0;
  uint64_t record_no_ = 0, event_line_ = 0;
  bool discarding_ = false;  // the current event is too large: scan to its end without keeping it
  std::string name_;         // qualified name of the current event element ("Event", "e:Event")
};

}  // namespace

ReadStats EventXmlReader::read(ByteSource& in, RecordSink& sink) {
  return EventXmlScan(in, sink, options_, kb_, threads_).run();
}

int detect_event_xml(std::string_view head, const Knowledge& /*kb*/) {
  bool evtxexport_preamble = false;
  for (size_t pos = 0; pos < head.size();) {
    const MarkupSpan m = classify_markup(head.substr(pos), true);
    switch (m.kind) {
      case Markup::kEventStart:
      case Markup::kRootTag:
        return head.find(kEventNamespace) != std::string_view::npos ? 95 : 80;
      case Markup::kWhitespace:
      case Markup::kSkip:
        if (head.substr(pos).starts_with("evtxexport ")) evtxexport_preamble = true;
        pos += m.length;
        break;
      case Markup::kNeedMore:
      case Markup::kGarbage:
        return 0;
    }
  }
  // evtxexport's output for an empty log is only its preamble: still ours, with no records.
  return evtxexport_preamble ? 60 : 0;
}

FormatInfo event_xml_format() {
  return FormatInfo{std::string(kEventXmlFormat), detect_event_xml,
                    [](const Knowledge& kb) { return std::make_unique<EventXmlReader>(EventXmlOptions{}, &kb); }, true};
}

}  // namespace kmsdiag
