// Facts no rule and no correlation step reads (EventLayout::counted_only): never built, only counted by
// kind with their latest time. The dataset summary is all that still takes them in: how many facts were
// about activation, and the time of the newest.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/record.hpp"

namespace kmsdiag {

class UnreadFacts {
 public:
  struct Kind {
    std::string kind;
    uint64_t facts = 0;
    int64_t latest_ms = kNoTime;
  };

  void add(std::string_view kind, int64_t time_ms, uint64_t facts = 1);
  void merge(const UnreadFacts& other);
  // In the order first counted: a log yields a handful of such kinds, so a list beats a map.
  const std::vector<Kind>& kinds() const { return kinds_; }

 private:
  std::vector<Kind> kinds_;
};

}  // namespace kmsdiag
