// Reads Windows event XML in every shape Windows tools write it: `wevtutil qe /f:xml` (a bare
// stream of <Event> elements, often on one line), `/f:RenderedXml` (with <RenderingInfo>), Event
// Viewer "Save as XML" (an <Events> root) and `evtxexport -f xml` (a preamble line, blank lines).
//
// Streaming: a fast scanner finds each <Event> element's extent in a bounded block buffer, pugixml
// parses only that element in place, one Record (kind "event") is emitted and the bytes are dropped.
#pragma once

#include <cstddef>
#include <string_view>

#include "ingest/reader.hpp"

namespace kmsdiag {

struct EventXmlOptions {
  size_t block_size = size_t{1} << 20;      // bytes read from the source at a time
  size_t max_event_size = size_t{4} << 20;  // a bigger <Event> element is reported and skipped
};

class EventXmlReader final : public Reader {
 public:
  explicit EventXmlReader(EventXmlOptions options = {}) : options_(options) {}
  ReadStats read(ByteSource& in, RecordSink& sink) override;

 private:
  EventXmlOptions options_;
};

// Confidence that `head` (UTF-8) starts Windows event XML: an <Event> or <Events> element after any
// XML declaration, comments, whitespace or evtxexport preamble; 0 otherwise.
int detect_event_xml(std::string_view head, const Knowledge& kb);

// The "event-xml" format for the registry.
FormatInfo event_xml_format();

}  // namespace kmsdiag
