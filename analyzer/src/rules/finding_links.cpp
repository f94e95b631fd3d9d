#include "rules/finding_links.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>

namespace kmsdiag {

void link_findings(std::vector<Finding>& findings) {
  const size_t n = findings.size();
  std::map<std::string, std::vector<size_t>> by_cause;
  for (size_t i = 0; i < n; ++i) by_cause[findings[i].cause].push_back(i);
  // children[a]: findings whose cause a's rule explains.
  std::vector<std::vector<size_t>> children(n);
  for (size_t a = 0; a < n; ++a)
    for (const std::string& cause : findings[a].explains) {
      auto it = by_cause.find(cause);
      if (it == by_cause.end()) continue;
      for (size_t b : it->second) {
        if (b == a) continue;
        children[a].push_back(b);
        auto& by = findings[b].explained_by;
        if (std::find(by.begin(), by.end(), findings[a].cause) == by.end()) by.push_back(findings[a].cause);
      }
    }
  for (auto& f : findings) std::sort(f.explained_by.begin(), f.explained_by.end());

  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  auto before = [&](size_t a, size_t b) {
    if (findings[a].severity != findings[b].severity) return findings[a].severity > findings[b].severity;
    if (findings[a].rule_id != findings[b].rule_id) return findings[a].rule_id < findings[b].rule_id;
    return a < b;
  };
  std::sort(order.begin(), order.end(), before);
  for (auto& c : children) std::sort(c.begin(), c.end(), before);

  std::vector<bool> placed(n, false);
  std::vector<size_t> out;
  out.reserve(n);
  auto place = [&](auto&& self, size_t i) -> void {
    if (placed[i]) return;
    placed[i] = true;
    out.push_back(i);
    for (size_t c : children[i]) self(self, c);
  };
  for (size_t i : order)
    if (findings[i].explained_by.empty()) place(place, i);
  for (size_t i : order) place(place, i);

  std::vector<Finding> sorted;
  sorted.reserve(n);
  for (size_t i : out) sorted.push_back(std::move(findings[i]));
  findings = std::move(sorted);
}

}  // namespace kmsdiag
