// Evaluates one rule over a record set: match (kind, where, any), group, slide the time window,
// test `having`, and turn each qualifying group into a Finding.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "model/analysis.hpp"
#include "rules/rule.hpp"

namespace kmsdiag {

inline constexpr size_t kEvidenceCap = 20;  // evidence entries kept per finding
inline constexpr size_t kMachineCap = 50;   // machine names kept per finding

// Records grouped by kind once, so each rule only visits the kinds it matches.
class RecordIndex {
 public:
  explicit RecordIndex(const std::vector<Record>& records);
  // Records of these kinds, in input order.
  std::vector<const Record*> of_kinds(const std::vector<std::string>& kinds) const;

 private:
  const std::vector<Record>& records_;
  std::unordered_map<std::string, std::vector<size_t>> by_kind_;
};

// The rule's findings, in group-key order; explained_by is left empty (see link_findings).
std::vector<Finding> evaluate_rule(const Rule& rule, const RecordIndex& index);

}  // namespace kmsdiag
