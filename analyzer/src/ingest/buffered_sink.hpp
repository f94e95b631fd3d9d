// Holds what a reader delivers, in the order it came, to hand it on later: a unit of work decoded on a
// worker thread keeps its records, unused events and problems here until the unit's finish step
// replays them, in input order, into the real sink.
#pragma once

#include <variant>
#include <vector>

#include "ingest/reader.hpp"

namespace kmsdiag {

class BufferedSink final : public RecordSink {
 public:
  void on_record(Record&& r) override { items_.emplace_back(std::move(r)); }
  void on_problem(Problem&& p) override { items_.emplace_back(std::move(p)); }
  void on_unused_event(UnusedEvent&& e) override { items_.emplace_back(std::move(e)); }

  // Delivers everything held to `to`, in order, and empties this buffer.
  void replay(RecordSink& to);

 private:
  std::vector<std::variant<Record, Problem, UnusedEvent>> items_;
};

}  // namespace kmsdiag
