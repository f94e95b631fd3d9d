// Parses the bytes of one <Event> element (found by the event XML reader's scanner) into what a sink
// receives: a Record of kind "event", or, given the knowledge tables, an UnusedEvent for an event
// whose System header says it needs no record (not about activation, or its facts unread), and its problems. Keeps its
// parsed document from one event to the next, so each thread that parses events has its own.
#pragma once

#include <cstdint>
#include <functional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "ingest/event_xml_header_scan.hpp"
#include "ingest/event_xml_record.hpp"
#include "ingest/reader.hpp"

namespace kmsdiag {

inline constexpr std::string_view kEventXmlFormat = "event-xml";  // the format's name, in records' "format"

// Where an event starts: its number among the events of the input and its line.
struct EventXmlPlace {
  uint64_t record_no = 0;
  uint64_t line = 0;
};

class EventXmlParser {
 public:
  // `kb` null: every event becomes a Record.
  EventXmlParser(std::string path, const Knowledge* kb) : path_(std::move(path)), kb_(kb) {}
  EventXmlParser(const EventXmlParser&) = delete;  // unused_ refers to this parser

  // Parses `size` bytes at `text` in place (they are overwritten) and delivers the outcome to `sink`.
  void parse(char* text, size_t size, const EventXmlPlace& at, RecordSink& sink);

  // How many Records parse() has sent: the rest of the events were counted or had a problem.
  uint64_t records_built() const { return records_built_; }

  // The problem text for an event: "record N (line L): <what>".
  static std::string describe(const EventXmlPlace& at, std::string_view what);

 private:
  void problem(const EventXmlPlace& at, std::string_view what, RecordSink& sink) const;
  // The event's layout (Knowledge::activation_layout); null when it is not about activation.
  const EventLayout* layout(const EventXmlHeader& h) const;
  // `counted`: the counted_only layout of an event about activation, else null.
  void count_unused(const EventXmlHeader& h, const EventLayout* counted, const EventXmlPlace& at, RecordSink& sink);

  std::string path_;
  const Knowledge* kb_;
  const KeepHeader unused_ = [this](const EventXmlHeader& h) {
    scanned_layout_ = layout(h);
    return !needs_record(scanned_layout_);
  };
  // The header scan rests for kScanPause events after kScanStreak in a row were about activation.
  static constexpr unsigned kScanStreak = 8, kScanPause = 64;
  const EventLayout* scanned_layout_ =
      nullptr;  // of the header the last scan read (null: none, or not about activation)
  unsigned kms_streak_ = 0, scan_pause_ = 0;
  uint64_t records_built_ = 0;
  EventXmlHeaderScanner scanner_;  // its shapes are those of this parser's events so far
  pugi::xml_document doc_;
  UnusedEvent event_;  // the one handed on for every event that needs no record
  Record record_;      // the one handed on for every other
};

}  // namespace kmsdiag
