#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {

// A KMS host's count is the number of distinct CMIDs it heard from in the last 30 days, so replay
// each host's 12290s in time order with a 30-day sliding window over a CMID multiset: O(n log n).
void annotate_host_counts(std::vector<Record>& facts) {
  std::map<std::string, std::vector<size_t>> by_host;
  for (size_t i = 0; i < facts.size(); ++i)
    if (facts[i].kind == "kms.host-request") {
      if (facts[i].time_ms == kNoTime)
        facts[i].set("host_count_estimate", "");  // cannot be placed in any window
      else
        by_host[machine_key(facts[i].machine)].push_back(i);
    }

  for (auto& [host, members] : by_host) {
    std::stable_sort(members.begin(), members.end(), [&](size_t a, size_t b) {
      return std::tie(facts[a].time_ms, facts[a].source.path, facts[a].source.position) <
             std::tie(facts[b].time_ms, facts[b].source.path, facts[b].source.position);
    });
    std::unordered_map<std::string, uint64_t> in_window;  // CMID -> requests inside the window
    size_t oldest = 0;
    for (size_t i : members) {
      const int64_t now = facts[i].time_ms;
      for (; facts[members[oldest]].time_ms < now - kCountWindowMs; ++oldest) {
        const std::string cmid = ascii_lower(trim(facts[members[oldest]].get("cmid")));
        if (auto it = in_window.find(cmid); it != in_window.end() && --it->second == 0) in_window.erase(it);
      }
      if (const std::string cmid = ascii_lower(trim(facts[i].get("cmid"))); !cmid.empty()) ++in_window[cmid];
      // Facts are kept at their exact size (FactStore): grow by one field, not by the vector's doubling.
      facts[i].fields.reserve(facts[i].fields.size() + 1);
      facts[i].set("host_count_estimate", std::to_string(in_window.size()));
    }
  }
}

}  // namespace kmsdiag::correlation
