#include "ingest/buffered_sink.hpp"

namespace kmsdiag {

void BufferedSink::replay(RecordSink& to) {
  for (auto& item : items_) {
    if (auto* r = std::get_if<Record>(&item)) {
      to.on_record(std::move(*r));
    } else if (auto* p = std::get_if<Problem>(&item)) {
      to.on_problem(std::move(*p));
    } else {
      to.on_unused_event(std::move(std::get<UnusedEvent>(item)));
    }
  }
  items_.clear();
}

}  // namespace kmsdiag
