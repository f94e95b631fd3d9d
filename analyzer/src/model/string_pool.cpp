#include "model/string_pool.hpp"

#include <functional>

namespace kmsdiag {

StringPool::Id StringPool::intern(std::string_view text) {
  if (2 * (spans_.size() + 1) > slots_.size()) grow();  // at most half full: probes stay short
  const size_t mask = slots_.size() - 1;
  for (size_t slot = std::hash<std::string_view>{}(text)&mask;; slot = (slot + 1) & mask) {
    if (slots_[slot] == 0) {
      const Id id = static_cast<Id>(spans_.size());
      spans_.emplace_back(static_cast<uint32_t>(chars_.size()), static_cast<uint32_t>(text.size()));
      chars_.append(text);
      slots_[slot] = id + 1;
      return id;
    }
    if (view(slots_[slot] - 1) == text) return slots_[slot] - 1;
  }
}

void StringPool::grow() {
  std::vector<Id> slots(slots_.empty() ? 1024 : 2 * slots_.size(), 0);
  const size_t mask = slots.size() - 1;
  for (Id id = 0; id < spans_.size(); ++id) {
    size_t slot = std::hash<std::string_view>{}(view(id)) & mask;
    while (slots[slot] != 0) slot = (slot + 1) & mask;
    slots[slot] = id + 1;
  }
  slots_ = std::move(slots);
}

size_t StringPool::footprint() const {
  return chars_.capacity() + spans_.capacity() * sizeof(spans_[0]) + slots_.capacity() * sizeof(Id);
}

}  // namespace kmsdiag
