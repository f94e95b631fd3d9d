#include "interpret/fact_store.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace kmsdiag {

void FactStore::drop(const Key& key, const Record& fact) {
  if (dropped_++ == 0 || key > newest_dropped_.first) newest_dropped_ = {key, fact.source};
}

void FactStore::add(Record&& fact, uint64_t unit, uint64_t seq) {
  fact.fields.shrink_to_fit();  // interpreters grow fields one by one: the slack would be kept for good
  const size_t size = fact.footprint();
  const Key key{fact.time_ms == kNoTime ? std::numeric_limits<int64_t>::max() : fact.time_ms, unit, seq};
  std::lock_guard lk(m_);
  // Nothing older than a fact already left out may be kept: otherwise a small old fact could slip into
  // room a big newer one left, and what is kept would depend on the order facts arrive in.
  if (dropped_ && key < newest_dropped_.first) return drop(key, fact);
  while (bytes_ + size > budget_ && !least_.empty()) {
    if (least_.top().first > key) return drop(key, fact);  // older than everything kept
    Kept& victim = facts_[least_.top().second];
    drop(victim.key, *victim.fact);
    bytes_ -= victim.size;
    victim.fact.reset();  // frees its strings (assigning an empty Record would keep their buffers)
    holes_.push_back(least_.top().second);
    least_.pop();
  }
  bytes_ += size;
  // A dropped fact's slot is reused: the vector stays as long as the most facts ever kept at once
  // (take() restores input order from the keys).
  size_t slot = facts_.size();
  if (holes_.empty()) {
    facts_.push_back({key, size, std::move(fact)});
  } else {
    slot = holes_.back();
    holes_.pop_back();
    facts_[slot].key = key;
    facts_[slot].size = size;
    facts_[slot].fact.emplace(std::move(fact));
  }
  least_.emplace(key, slot);
}

std::vector<Record> FactStore::take() {
  std::lock_guard lk(m_);
  std::erase_if(facts_, [](const Kept& k) { return !k.fact; });
  std::sort(facts_.begin(), facts_.end(), [](const Kept& a, const Kept& b) {
    return std::tie(std::get<1>(a.key), std::get<2>(a.key)) < std::tie(std::get<1>(b.key), std::get<2>(b.key));
  });
  std::vector<Record> out;
  out.reserve(facts_.size());
  for (Kept& k : facts_) out.push_back(std::move(*k.fact));
  facts_ = {};  // release the memory, not just the elements: correlation needs it next
  holes_ = {};
  least_ = {};
  bytes_ = 0;
  return out;
}

}  // namespace kmsdiag
