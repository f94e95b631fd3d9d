#include "ingest/event_xml_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "ingest/byte_scan.hpp"
#include "ingest/event_xml_header_scan.hpp"
#include "ingest/event_xml_record.hpp"
#include "model/analysis.hpp"

namespace kmsdiag {

std::string EventXmlParser::describe(const EventXmlPlace& at, std::string_view what) {
  return fmt::format("record {} (line {}): {}", at.record_no, at.line, what);
}

void EventXmlParser::problem(const EventXmlPlace& at, std::string_view what, RecordSink& sink) const {
  sink.on_problem(Problem{{path_, "line", at.line, ""}, describe(at, what)});
}

namespace {

// What the knowledge tables and ignored_event_key() take from a header: provider, channel, event id.
std::array<std::string_view, 3> activation_key(const EventXmlHeader& h) {
  return {h.provider.value_or(""), h.channel.value_or(""),
          h.event_id ? std::string_view(*h.event_id) : std::string_view()};
}

}  // namespace

const EventLayout* EventXmlParser::layout(const EventXmlHeader& h) const {
  const auto [provider, channel, event_id] = activation_key(h);
  return kb_->activation_layout(provider, channel, event_id);
}

// Counted as the interpreter would count its record, without building it. One event is kept for them all:
// a sink that only counts it leaves its strings' room for the next.
void EventXmlParser::count_unused(const EventXmlHeader& h, const EventLayout* counted, const EventXmlPlace& at,
                                  RecordSink& sink) {
  event_.counted = counted;
  if (counted) {
    event_.key.clear();
  } else {
    const auto [provider, channel, event_id] = activation_key(h);
    ignored_event_key(event_.key, provider, channel, event_id);
  }
  event_.source.path.assign(path_);
  event_.source.unit.assign("line");
  event_.source.position = at.line;
  event_.source.record_id.assign(h.record_id.value_or(""));
  event_.time_ms = h.time_ms;
  sink.on_unused_event(std::move(event_));
}

void EventXmlParser::parse(char* text, size_t size, const EventXmlPlace& at, RecordSink& sink) {
  // Most events are not about activation, and most of those are plain enough to be read without a tree
  // (and small enough to have no payload problem).
  if (kb_ != nullptr && scan_pause_ == 0) {
    scanned_layout_ = nullptr;
    if (const std::optional<EventXmlHeader> h = scanner_.scan(std::string_view(text, size), unused_)) {
      kms_streak_ = 0;
      return count_unused(*h, scanned_layout_, at, sink);
    }
    // A KMS host's log is all about activation, and there the scan only delays pugixml: after a run of such
    // events it rests for a while. Only the time changes: what pugixml reads is the same.
    kms_streak_ = needs_record(scanned_layout_) ? kms_streak_ + 1 : 0;
    if (kms_streak_ == kScanStreak) {
      kms_streak_ = 0;
      scan_pause_ = kScanPause;
    }
  } else if (scan_pause_ > 0) {
    --scan_pause_;
  }
  // A payload problem needs more than kMaxDataItems items or UserData nested kMaxUserDataDepth deep, each
  // element a '<' at least: an event with fewer cannot have one, and most events are not walked for it.
  const size_t tags = count_char(std::string_view(text, size), '<');
  const bool payload_may_be_odd = tags > std::min(kMaxDataItems, 2 * kMaxUserDataDepth);
  const pugi::xml_parse_result parsed = doc_.load_buffer_inplace(text, size, pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) return problem(at, fmt::format("malformed event XML: {}", parsed.description()), sink);
  const pugi::xml_node event = doc_.document_element();
  if (kb_ != nullptr) {
    const EventXmlHeader h = event_xml_header(event);
    if (const EventLayout* l = layout(h); !needs_record(l)) {
      // With the same problems as the interpreter would find in its record.
      const EventXmlIssue issue = payload_may_be_odd ? event_xml_payload_issue(event) : EventXmlIssue{};
      if (!issue.message.empty()) problem(at, issue.message, sink);
      if (!issue.skipped) count_unused(h, l, at, sink);
      return;
    }
  }
  // One for all, as event_: event_xml_to_record writes its kind, machine, time and record id, and the
  // texts that stay the same from one event to the next keep their room (or their shared block).
  Record& record = record_;
  record.fields.clear();
  record.source.path.assign(path_);
  record.source.unit.assign("line");
  record.source.position = at.line;
  const EventXmlIssue issue = event_xml_to_record(event, kEventXmlFormat, record);
  if (!issue.message.empty()) problem(at, issue.message, sink);
  if (issue.skipped) return;
  ++records_built_;
  sink.on_record(std::move(record));
}

}  // namespace kmsdiag
