#include "interpret/fact_store.hpp"

#include <algorithm>
#include <functional>
#include <numeric>
#include <tuple>

#include "model/huge_pages.hpp"

namespace kmsdiag {
namespace {

uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ULL + (h >> 29); }

}  // namespace

void FactStore::add(const Record& fact, uint64_t unit, uint64_t seq) {
  std::lock_guard lk(m_);
  const Fact& f = facts_.emplace_back(unit, seq, fact.source.position, fact.time_ms, intern(fact.kind, last_[0]),
                                      intern(fact.machine, last_[1]), intern(fact.source.path, last_[2]),
                                      intern(fact.source.unit, last_[3]), pool_.intern(fact.source.record_id),
                                      slab_.copy(fact.fields));
  field_bytes_ += f.fields.heap_bytes();
}

StringPool::Id FactStore::intern(const SharedText& text, Interned& last) {
  if (text.empty() || text.data() != last.text.data()) {
    last.id = pool_.intern(text);
    last.text = text;  // held: its block cannot be freed and its address reused for other text
  }
  return last.id;
}

uint64_t FactStore::size() const {
  std::lock_guard lk(m_);
  return facts_.size();
}

size_t FactStore::footprint() const {
  std::lock_guard lk(m_);
  return facts_.size() * sizeof(Fact) + field_bytes_ + pool_.footprint();
}

// Fills a fresh record in place: the facts array is the biggest thing an analysis holds, and building each
// record aside would move it once more. The fields move over as they are, in the slab.
// Every fact with the same kind, machine, path or unit shares one SharedText of it, made on first use.
void FactStore::materialise(Fact& f, Record& r, std::vector<SharedText>& shared) const {
  const auto text_of = [&](Id id) -> const SharedText& {
    if (id >= shared.size()) shared.resize(pool_.size());
    if (shared[id].empty()) shared[id] = pool_.view(id);
    return shared[id];
  };
  r.kind = text_of(f.kind);
  r.source.path = text_of(f.path);
  r.source.unit = text_of(f.source_unit);
  r.source.position = f.position;
  r.source.record_id = pool_.view(f.record_id);
  r.time_ms = f.time_ms;
  r.machine = text_of(f.machine);
  r.fields = std::move(f.fields);
}

bool FactStore::same(const Fact& a, const Fact& b) const {
  return std::tie(a.kind, a.machine, a.time_ms, a.record_id) == std::tie(b.kind, b.machine, b.time_ms, b.record_id) &&
         a.fields == b.fields;
}

uint64_t FactStore::identity_hash(const Fact& f) const {
  uint64_t h =
      mix(mix(mix(mix(0xcbf29ce484222325ULL, f.kind), f.machine), static_cast<uint64_t>(f.time_ms)), f.record_id);
  for (const FieldView& field : f.fields)
    h = mix(mix(h, std::hash<std::string_view>()(field.key)), std::hash<std::string_view>()(field.value));
  return h;
}

// facts_ indices in input order (unit, then position in the unit). A unit adds its facts in order, so one
// input's facts (the big case: a single large log) need no sorting; facts of concurrent inputs
// interleave and are sorted as 24-byte keys rather than as the 64-byte facts.
std::vector<uint32_t> FactStore::input_order() const {
  std::vector<uint32_t> order(facts_.size());
  std::iota(order.begin(), order.end(), 0);
  const auto earlier = [this](uint32_t a, uint32_t b) {
    return std::tie(facts_[a].unit, facts_[a].seq) < std::tie(facts_[b].unit, facts_[b].seq);
  };
  if (std::is_sorted(order.begin(), order.end(), earlier)) return order;
  struct Key {
    uint64_t unit, seq;
    uint32_t index;
  };
  std::vector<Key> keys;
  keys.reserve(facts_.size());
  for (uint32_t i = 0; i < facts_.size(); ++i) keys.push_back({facts_[i].unit, facts_[i].seq, i});
  std::sort(keys.begin(), keys.end(),
            [](const Key& a, const Key& b) { return std::tie(a.unit, a.seq) < std::tie(b.unit, b.seq); });
  for (size_t k = 0; k < keys.size(); ++k) order[k] = keys[k].index;
  return order;
}

// Facts in input order (`order`) -> which of them are copies of a fact read from an earlier input.
// Candidates are found by hash and confirmed field by field, so a collision never leaves a fact out.
std::vector<bool> FactStore::copies_to_leave_out(const std::vector<uint32_t>& order) {
  std::vector<bool> copy(order.size(), false);
  // Only a fact of another input can be a copy: facts all read from one file (a single log) have none.
  bool one_path = true;
  for (size_t i = 1; i < facts_.size() && one_path; ++i) one_path = facts_[i].path == facts_.front().path;
  if (one_path) return copy;
  std::vector<std::pair<uint64_t, uint32_t>> dated;  // identity hash, position in input order
  dated.reserve(order.size());
  for (uint32_t k = 0; k < order.size(); ++k)
    if (facts_[order[k]].time_ms != kNoTime) dated.emplace_back(identity_hash(facts_[order[k]]), k);
  std::sort(dated.begin(), dated.end());
  for (size_t run = 0; run < dated.size();) {
    size_t end = run;
    while (end < dated.size() && dated[end].first == dated[run].first) ++end;
    for (size_t j = run + 1; j < end; ++j) {
      const Fact& later = facts_[order[dated[j].second]];
      for (size_t k = run; k < j; ++k) {
        const Fact& earlier = facts_[order[dated[k].second]];
        if (copy[dated[k].second] || earlier.path == later.path || !same(earlier, later)) continue;
        copy[dated[j].second] = true;
        duplicates_.try_emplace(std::string(pool_.view(later.path)), std::string(pool_.view(earlier.path)));
        break;
      }
    }
    run = end;
  }
  return copy;
}

std::vector<Record> FactStore::take(size_t room_after) {
  std::lock_guard lk(m_);
  const std::vector<uint32_t> order = input_order();
  const std::vector<bool> copy = copies_to_leave_out(order);
  std::vector<Record> out;
  out.reserve(facts_.size() + room_after);
  advise_huge_pages(out.data(), out.capacity() * sizeof(Record));
  std::vector<SharedText> shared;  // by pool id
  if (std::is_sorted(order.begin(), order.end())) {
    // Facts in the order held (one input, the big case): each is let go once made, so the store shrinks
    // as the records grow and the two are never whole at once.
    size_t k = 0;
    facts_.drain([&](Fact& f) {
      if (!copy[k++]) materialise(f, out.emplace_back(), shared);
    });
  } else {
    for (size_t k = 0; k < order.size(); ++k)
      if (!copy[k]) materialise(facts_[order[k]], out.emplace_back(), shared);
  }
  // Release the memory, not just the elements: correlation needs it next.
  facts_.clear();
  field_bytes_ = 0;
  pool_ = {};
  for (Interned& last : last_) last = {};
  return out;
}

}  // namespace kmsdiag
