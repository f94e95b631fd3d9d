// The RecordParts every sink can use: the default one, which holds what a part yields until its turn,
// and the one of a sink that only counts what passes through it on its way to another sink.
#pragma once

#include <functional>
#include <memory>
#include <variant>
#include <vector>

#include "ingest/reader.hpp"

namespace kmsdiag {

// Moves a position a part named by the records that came before the part (0: names no position).
inline void shift_position(SourceRef& where, uint64_t shift) {
  if (where.position) where.position += shift;
}

// Holds what a part yields, in order, and replays it into `to` when delivered.
class BufferedPart final : public RecordPart {
 public:
  explicit BufferedPart(RecordSink& to) : to_(to) {}
  void on_record(Record&& r) override { items_.emplace_back(std::move(r)); }
  void on_problem(Problem&& p) override { items_.emplace_back(std::move(p)); }
  void on_unused_event(UnusedEvent&& e) override { items_.emplace_back(std::move(e)); }
  void deliver(uint64_t shift) override;

 private:
  RecordSink& to_;
  std::vector<std::variant<Record, Problem, UnusedEvent>> items_;
};

// What a counting sink counts of one part: records (unused events included) and problems, with copies
// of the first problems (shifted to their place in the input) for sinks that keep some.
struct PartCounts {
  uint64_t records = 0, problems = 0;
  std::vector<Problem> kept;
};

// The part of a sink that counts what passes on to `next` (whose part does the rest): everything goes
// straight on to next's part, and in the part's turn `counted` receives the counts.
class CountingPart final : public RecordPart {
 public:
  CountingPart(RecordSink& next, size_t keep, std::function<void(PartCounts&)> counted)
      : next_(next.part()), keep_(keep), counted_(std::move(counted)) {}
  void on_record(Record&& r) override;
  void on_problem(Problem&& p) override;
  void on_unused_event(UnusedEvent&& e) override;
  void deliver(uint64_t shift) override;

 private:
  std::unique_ptr<RecordPart> next_;
  size_t keep_;
  std::function<void(PartCounts&)> counted_;
  PartCounts counts_;
};

}  // namespace kmsdiag
