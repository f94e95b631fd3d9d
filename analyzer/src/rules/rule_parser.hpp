// Reads rule files and the cause catalog (rules/causes.yaml) into Rules, checking everything a rule
// author can get wrong and reporting each mistake with file and line.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rules/rule.hpp"
#include "rules/rule_set.hpp"

namespace kmsdiag {

// Cause id -> one-line description.
using CauseCatalog = std::map<std::string, std::string>;

inline constexpr const char* kCauseCatalogFile = "causes.yaml";

// nullopt (and errors) when the catalog is missing or malformed.
std::optional<CauseCatalog> load_cause_catalog(const std::string& path, std::vector<RuleError>& errors);

// nullptr (and at least one error) when the file is not a valid rule. Without a catalog, cause ids
// are not checked (the missing catalog has been reported already).
std::unique_ptr<Rule> load_rule_file(const std::string& path, const CauseCatalog* catalog,
                                     std::vector<RuleError>& errors);

}  // namespace kmsdiag
