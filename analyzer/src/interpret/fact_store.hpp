// The interpreted facts an analysis keeps for correlation: all of them.
//
// Raw events stream through; only KMS facts are kept, normally a small part of any input (the host logs'
// 12290s, the one dense kind, are aggregated by correlation::HostRequestLedger instead). Facts are held
// compactly until take(): every string (kind, machine, path, field key and value) is stored once
// (StringPool) and referred to by a 32-bit id, so a fact costs 8 bytes a field, 64 bytes besides and its
// new strings (EventRecordID, client time), not a Record's kilobyte or more.
//
// Inputs are read concurrently, so facts arrive in any order; take() returns them in input order
// (unit, then position in the unit), the same for any interleaving.
//
// The same log given twice (Application.evtx and "Application (1).evtx", an .evtx and its XML export)
// is one source: take() leaves out a dated fact identical (kind, machine, time, EventRecordID, fields)
// to one read from an earlier input, and names that input in duplicates(). Identical facts within one
// input are real repeats and stay; undated facts (command output) carry too little to tell apart.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "model/field_slab.hpp"
#include "model/record.hpp"
#include "model/string_pool.hpp"

namespace kmsdiag {

class FactStore {
 public:
  // Thread-safe. `unit` numbers the inputs in input order, `seq` the facts within one.
  void add(const Record& fact, uint64_t unit, uint64_t seq);
  // The facts in input order, less copies from another input, with capacity for `room_after` more (the
  // records correlation appends, so that appending does not move them); the store is empty afterwards.
  std::vector<Record> take(size_t room_after = 0);

  uint64_t size() const;     // facts held
  size_t footprint() const;  // bytes held, strings and containers included (allocator overhead not counted)
  // After take(): inputs whose facts were copies of another input's, by path -> that input's path.
  const std::map<std::string, std::string>& duplicates() const { return duplicates_; }

 private:
  using Id = StringPool::Id;
  struct Fact {
    uint64_t unit, seq, position;
    int64_t time_ms;
    Id kind, machine, path, source_unit, record_id;
    uint32_t fields_at, field_count;  // key/value id pairs in fields_
  };

  std::string text(Id id) const { return std::string(pool_.view(id)); }
  void materialise(const Fact& f, Record& r, FieldList& scratch, FieldSlab& slab) const;
  bool same(const Fact& a, const Fact& b) const;  // identical but for where they were read
  uint64_t identity_hash(const Fact& f) const;
  std::vector<uint32_t> input_order() const;
  std::vector<bool> copies_to_leave_out(const std::vector<uint32_t>& order);

  mutable std::mutex m_;
  StringPool pool_;
  // Deques: no doubling slack, and no copying of what is held when they grow.
  std::deque<Fact> facts_;
  std::deque<Id> fields_;
  std::map<std::string, std::string> duplicates_;
};

}  // namespace kmsdiag
