// The interpreted facts an analysis keeps for correlation: all of them.
//
// Raw events stream through; only KMS facts are kept, normally a small part of any input (the host logs'
// 12290s, the one dense kind, are aggregated by correlation::HostRequestLedger instead, and the kinds nothing
// reads are only counted: model/unread_facts.hpp). Facts are held
// compactly until take(): the strings every fact has (kind, machine, path, position unit, EventRecordID)
// are stored once (StringPool) and referred to by a 32-bit id; the fields, packed as they came, lie one
// after another in a FieldSlab (no heap block a fact) and become the records' fields as they are. A fact
// costs its fields' bytes and about 100 bytes besides, not a Record's 208 bytes, its strings and its heap
// blocks; and take() copies no field, so an analysis never holds a fact's fields twice.
//
// Inputs are read concurrently, so facts arrive in any order; take() returns them in input order
// (unit, then position in the unit), the same for any interleaving.
//
// The same log given twice (Application.evtx and "Application (1).evtx", an .evtx and its XML export)
// is one source: take() leaves out a dated fact identical (kind, machine, time, EventRecordID, fields)
// to one read from an earlier input, and names that input in duplicates(). Identical facts within one
// input are real repeats and stay; undated facts (command output) carry too little to tell apart.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "model/block_array.hpp"
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
    FieldList fields;  // in slab_
  };

  // The text's id in pool_. A kind, machine, path or unit is mostly the one the last fact had, and a
  // record's SharedText is then the same block: its address tells, with no hashing.
  struct Interned {
    SharedText text;
    Id id = 0;
  };
  Id intern(const SharedText& text, Interned& last);
  void materialise(Fact& f, Record& r, std::vector<SharedText>& shared) const;  // moves the fields
  bool same(const Fact& a, const Fact& b) const;  // identical but for where they were read
  uint64_t identity_hash(const Fact& f) const;
  std::vector<uint32_t> input_order() const;
  std::vector<bool> copies_to_leave_out(const std::vector<uint32_t>& order);

  mutable std::mutex m_;
  StringPool pool_;
  BlockArray<Fact> facts_;
  FieldSlab slab_;
  size_t field_bytes_ = 0;  // the facts' fields take in slab_
  std::map<std::string, std::string> duplicates_;
  std::array<Interned, 4> last_;  // kind, machine, path, unit of the last fact added
};

}  // namespace kmsdiag
