// Root-cause rules loaded at run time from rules/*.yaml (format: rules/README.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "knowledge/knowledge.hpp"
#include "model/analysis.hpp"
#include "model/record.hpp"

namespace kmsdiag {

struct RuleError {
  std::string file;
  int line = 0;  // 1-based; 0 when the whole file is at fault
  std::string message;
  std::string describe() const;  // "file:line: message"
};

struct Rule;  // defined in rules/rule.hpp

class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  // Loads every rule file in `dir` (tables/ excluded). A bad rule is reported in `errors` with its
  // file and line and left out; it never passes silently.
  static RuleSet load(const std::string& dir, const Knowledge& kb, std::vector<RuleError>& errors);

  size_t size() const;
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }

  // Findings for these records, root causes linked to the symptoms they explain, sorted root
  // causes first and then by severity.
  std::vector<Finding> evaluate(const std::vector<Record>& records) const;

  // Runs every rule's embedded positive and negative examples; each failure is one error.
  std::vector<RuleError> check_examples() const;

 private:
  std::vector<std::unique_ptr<Rule>> rules_;
  const Knowledge* kb_ = nullptr;
};

}  // namespace kmsdiag
