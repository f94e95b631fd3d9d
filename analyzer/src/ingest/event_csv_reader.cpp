#include "ingest/event_csv_reader.hpp"

#include "ingest/delimited_event_reader.hpp"

namespace kmsdiag {

FormatInfo event_csv_format() {
  return FormatInfo{"event-csv",
                    [](std::string_view head, const Knowledge& kb) { return detect_delimited_events(head, kb, ','); },
                    [](const Knowledge& kb) { return make_delimited_event_reader(kb, ',', "event-csv"); }, true};
}

}  // namespace kmsdiag
