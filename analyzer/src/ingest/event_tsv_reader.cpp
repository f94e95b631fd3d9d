#include "ingest/event_tsv_reader.hpp"

#include "ingest/delimited_event_reader.hpp"

namespace kmsdiag {

FormatInfo event_tsv_format() {
  return FormatInfo{"event-tsv",
                    [](std::string_view head, const Knowledge& kb) { return detect_delimited_events(head, kb, '\t'); },
                    [](const Knowledge& kb) { return make_delimited_event_reader(kb, '\t', "event-tsv"); }, true};
}

}  // namespace kmsdiag
