#include "rules/rule_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "rules/finding_links.hpp"
#include "rules/record_schema.hpp"
#include "rules/rule.hpp"
#include "rules/rule_engine.hpp"
#include "rules/rule_parser.hpp"
#include "rules/rule_schema_check.hpp"

namespace kmsdiag {

std::string RuleError::describe() const {
  return line > 0 ? fmt::format("{}:{}: {}", file, line, message) : fmt::format("{}: {}", file, message);
}

RuleSet::RuleSet() = default;
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

RuleSet RuleSet::load(const std::string& dir, std::vector<RuleError>& errors, SchemaCheck check) {
  namespace fs = std::filesystem;
  RuleSet set;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    errors.push_back({dir, 0, "not a rules folder"});
    return set;
  }
  const fs::path catalog_path = fs::path(dir) / kCauseCatalogFile;
  const std::optional<CauseCatalog> catalog = load_cause_catalog(catalog_path.string(), errors);
  if (catalog) set.files_.push_back(catalog_path.string());
  if (check == SchemaCheck::on) {
    const fs::path schema_path = fs::path(dir) / kRecordSchemaFile;
    if (std::optional<RecordSchema> schema = load_record_schema(schema_path.string(), errors)) {
      set.schema_ = std::make_shared<const RecordSchema>(std::move(*schema));
      publish_record_schema(set.schema_);
      set.files_.push_back(schema_path.string());
    }
  }

  // Rule files are the folder's *.yaml (not tables/, not the catalog), in name order.
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (it->is_regular_file(ec) && p.extension() == ".yaml" && p.filename() != kCauseCatalogFile &&
        p.filename() != kRecordSchemaFile)
      files.push_back(p);
  }
  if (ec) errors.push_back({dir, 0, "cannot list folder: " + ec.message()});
  std::sort(files.begin(), files.end());

  std::set<std::string> ids;
  for (const fs::path& p : files) {
    std::unique_ptr<Rule> rule = load_rule_file(p.string(), catalog ? &*catalog : nullptr, errors);
    if (!rule) continue;
    if (set.schema_ && !check_rule_schema(*rule, *set.schema_, errors)) continue;
    if (!ids.insert(rule->id).second) {
      errors.push_back({rule->file, 0, fmt::format("duplicate rule id '{}'", rule->id)});
      continue;
    }
    set.files_.push_back(rule->file);
    set.rules_.push_back(std::move(rule));
  }
  return set;
}

size_t RuleSet::size() const { return rules_.size(); }

std::set<std::string, std::less<>> RuleSet::kinds() const {
  std::set<std::string, std::less<>> out;
  for (const auto& rule : rules_) out.insert(rule->match.kinds.begin(), rule->match.kinds.end());
  return out;
}

std::vector<Finding> RuleSet::evaluate(const std::vector<Record>& records) const {
  if (observer_) observer_(records);
  RunKinds run_kinds;
  MachineLists machine_lists;
  if (schema_)
    for (const SchemaSection& section : schema_->sections)
      for (const KindSpec& kind : section.kinds) {
        if (!kind.per_machine) run_kinds.insert(kind.kind);
        if (!kind.machine_list.empty()) machine_lists[kind.kind] = kind.machine_list;
      }
  const RecordIndex index(records, std::move(run_kinds), std::move(machine_lists));
  std::vector<const Rule*> rules;
  for (const auto& rule : rules_) rules.push_back(rule.get());
  std::vector<Finding> findings = evaluate_rules(rules, index);
  link_findings(findings);
  return findings;
}

std::vector<RuleError> RuleSet::check_examples() const {
  std::vector<RuleError> failures;
  for (const auto& rule : rules_) {
    const size_t positive = evaluate_rule(*rule, RecordIndex(rule->positive)).size();
    if (positive == 0)
      failures.push_back({rule->file, rule->positive_line,
                          fmt::format("rule '{}': the positive examples yield no finding", rule->id)});
    const size_t negative = evaluate_rule(*rule, RecordIndex(rule->negative)).size();
    if (negative != 0)
      failures.push_back({rule->file, rule->negative_line,
                          fmt::format("rule '{}': the negative examples yield {} finding(s)", rule->id, negative)});
  }
  return failures;
}

}  // namespace kmsdiag
