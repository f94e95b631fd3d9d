// Checks a loaded rule against the record schema: every kind it matches, every field its conditions,
// aggregates, group_by, templates and examples name is declared, and every operator and literal suits the
// field's type. Without this a misspelled field loads, passes its own examples and never fires.
#pragma once

#include <vector>

#include "rules/record_schema.hpp"
#include "rules/rule.hpp"
#include "rules/rule_set.hpp"

namespace kmsdiag {

// Appends one error (file:line) per mistake; true when there was none.
bool check_rule_schema(const Rule& rule, const RecordSchema& schema, std::vector<RuleError>& errors);

}  // namespace kmsdiag
