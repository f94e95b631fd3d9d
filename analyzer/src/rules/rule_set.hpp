// Root-cause rules loaded at run time from rules/*.yaml (format: rules/README.md).
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/analysis.hpp"
#include "model/record.hpp"

namespace kmsdiag {

struct RuleError {
  std::string file;
  int line = 0;  // 1-based; 0 when the whole file is at fault
  std::string message;
  std::string describe() const;  // "file:line: message"
};

struct Rule;          // defined in rules/rule.hpp
struct RecordSchema;  // defined in rules/record_schema.hpp

// Whether RuleSet::load checks rules against the folder's schema.yaml. Always `on` for real rule folders;
// `off` only for tests of the engine that use made-up kinds.
enum class SchemaCheck { on, off };

class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  // Loads every rule file in `dir` (tables/ excluded) and checks each against the record schema
  // (`dir`/schema.yaml). A bad rule is reported in `errors` with its file and line and left out; it never
  // passes silently.
  static RuleSet load(const std::string& dir, std::vector<RuleError>& errors, SchemaCheck check = SchemaCheck::on);

  size_t size() const;
  // The record schema the rules were checked against; nullptr when not loaded (SchemaCheck::off, or bad).
  const RecordSchema* schema() const { return schema_.get(); }
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
  // The kinds of records the rules match: facts of any other kind no rule will ever see.
  std::set<std::string, std::less<>> kinds() const;
  // Every file the rules came from: the cause catalog, the record schema and each rule file loaded.
  const std::vector<std::string>& files() const { return files_; }

  // Findings for these records, those of one cause about one subject merged (evaluate_rules in
  // rules/rule_engine.hpp), root causes linked to the symptoms they explain, sorted root causes first and
  // then by severity.
  std::vector<Finding> evaluate(const std::vector<Record>& records) const;

  // Runs every rule's embedded positive and negative examples; each failure is one error.
  std::vector<RuleError> check_examples() const;

  // Called with every record set `evaluate` sees, before the rules run: lets a test check the facts
  // the real pipeline hands to the rules (tests/schema conformance) without another code path.
  void set_record_observer(std::function<void(const std::vector<Record>&)> observer) {
    observer_ = std::move(observer);
  }

 private:
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<std::string> files_;
  std::shared_ptr<const RecordSchema> schema_;
  std::function<void(const std::vector<Record>&)> observer_;
};

}  // namespace kmsdiag
