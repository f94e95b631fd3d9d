#include "model/unread_facts.hpp"

#include <algorithm>

namespace kmsdiag {

void UnreadFacts::add(std::string_view kind, int64_t time_ms, uint64_t facts) {
  auto it = std::find_if(kinds_.begin(), kinds_.end(), [kind](const Kind& k) { return k.kind == kind; });
  if (it == kinds_.end()) it = kinds_.insert(kinds_.end(), Kind{std::string(kind), 0, kNoTime});
  it->facts += facts;
  if (time_ms != kNoTime && (it->latest_ms == kNoTime || time_ms > it->latest_ms)) it->latest_ms = time_ms;
}

void UnreadFacts::merge(const UnreadFacts& other) {
  for (const Kind& k : other.kinds_) add(k.kind, k.latest_ms, k.facts);
}

}  // namespace kmsdiag
