// The interpreted facts an analysis keeps for correlation, within a memory budget.
//
// Raw events stream through; only KMS facts are kept, normally a small part of any input. A
// KMS-dense export (a host log holding millions of requests) would still need memory in proportion
// to its size, so past the budget the oldest dated facts make room for newer ones: an outage is
// diagnosed from its recent history. Nothing is dropped silently: the store counts what it dropped,
// for the report.
//
// Inputs are read concurrently, so facts arrive in any order. What is kept does not depend on it:
// facts are ranked by (time, input unit, position in unit), eviction always takes the least, and
// nothing below a fact already left out is let in. That leaves exactly the newest facts that fit,
// whatever the arrival order; take() returns them in input order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <queue>
#include <tuple>
#include <vector>

#include "model/record.hpp"

namespace kmsdiag {

class FactStore {
 public:
  explicit FactStore(size_t budget_bytes) : budget_(budget_bytes) {}
  // Thread-safe. `unit` numbers the inputs in input order, `seq` the facts within one.
  void add(Record&& fact, uint64_t unit, uint64_t seq);
  // The kept facts in input order; the store is empty afterwards.
  std::vector<Record> take();

  size_t budget() const { return budget_; }
  uint64_t kept() const { return facts_.size() - holes_.size(); }
  uint64_t dropped() const { return dropped_; }
  // The newest fact left out (meaningful when dropped() > 0): where to look, and up to when.
  const SourceRef& newest_dropped() const { return newest_dropped_.second; }
  int64_t newest_dropped_ms() const { return std::get<0>(newest_dropped_.first); }

 private:
  // Undated facts (command output, a few per file) sort after every dated one: never evicted.
  using Key = std::tuple<int64_t, uint64_t, uint64_t>;
  struct Kept {
    Key key;
    size_t size;                 // footprint when added: what dropping it gives back
    std::optional<Record> fact;  // empty once dropped, until the slot is reused
  };
  using Slot = std::pair<Key, size_t>;  // key, index in facts_

  void drop(const Key& key, const Record& fact);

  std::mutex m_;
  size_t budget_;
  size_t bytes_ = 0;
  std::vector<Kept> facts_;
  std::vector<size_t> holes_;  // slots of dropped facts
  std::priority_queue<Slot, std::vector<Slot>, std::greater<>> least_;
  uint64_t dropped_ = 0;
  std::pair<Key, SourceRef> newest_dropped_{{kNoTime, 0, 0}, {}};
};

}  // namespace kmsdiag
