// Reads Windows event XML in every shape Windows tools write it: `wevtutil qe /f:xml` (a bare
// stream of <Event> elements, often on one line), `/f:RenderedXml` (with <RenderingInfo>), Event
// Viewer "Save as XML" (an <Events> root) and `evtxexport -f xml` (a preamble line, blank lines).
//
// Streaming: a fast scanner finds each <Event> element's extent in a bounded block buffer, pugixml
// parses only that element, one Record (kind "event") is emitted and the bytes are dropped. On more
// than one thread the events are parsed in ranges on every core and delivered in file order
// (event_xml_ranges.hpp): the same output whatever the number of threads.
#pragma once

#include <cstddef>
#include <string_view>

#include "ingest/reader.hpp"

namespace kmsdiag {

struct EventXmlOptions {
  size_t block_size = size_t{1} << 20;      // bytes read from the source at a time
  size_t max_event_size = size_t{4} << 20;  // a bigger <Event> element is reported and skipped
  // Events gathered into one unit of work when parsing on several threads. Small enough that the
  // 2 x threads units in flight (their bytes, then their records) stay a few MiB; big enough (some
  // 300 events) that handing units to threads costs little next to parsing them. Four times as big while
  // the last range parsed made a Record of at most one event in kSparseRecords (EventXmlRanges).
  size_t range_size = size_t{256} << 10;
};

class EventXmlReader final : public Reader {
 public:
  // With `kb`, an event whose System header says it is not about activation is delivered as an
  // UnusedEvent (no Record is built); without, every event in full.
  explicit EventXmlReader(EventXmlOptions options = {}, const Knowledge* kb = nullptr) : options_(options), kb_(kb) {}
  ReadStats read(ByteSource& in, RecordSink& sink) override;
  void use_threads(unsigned threads) override { threads_ = threads; }

 private:
  EventXmlOptions options_;
  const Knowledge* kb_;
  unsigned threads_ = 1;
};

// Confidence that `head` (UTF-8) starts Windows event XML: an <Event> or <Events> element after any
// XML declaration, comments, whitespace or evtxexport preamble; 0 otherwise.
int detect_event_xml(std::string_view head, const Knowledge& kb);

// The "event-xml" format for the registry.
FormatInfo event_xml_format();

}  // namespace kmsdiag
