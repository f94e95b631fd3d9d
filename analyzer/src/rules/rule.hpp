// One root-cause rule as loaded from a rule file (format: rules/README.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/analysis.hpp"
#include "model/record.hpp"
#include "rules/condition.hpp"
#include "rules/text_template.hpp"

namespace kmsdiag {

struct MatchSpec {
  std::vector<std::string> kinds;
  std::vector<Condition> where;             // all must hold
  std::vector<std::vector<Condition>> any;  // when non-empty, at least one set must hold in full
  std::vector<std::string> group_by;        // empty: one group of every matching record
  std::optional<int64_t> window_ms;         // sliding window inside a group
  std::vector<Condition> having;            // over aggregates of the group (or window)
};

struct Rule {
  std::string id;
  std::string file;  // where it was loaded from, for messages
  std::string cause;
  Severity severity = Severity::info;
  std::string title;
  MatchSpec match;
  TextTemplate explain;
  TextTemplate evidence;  // empty: the record's kind
  std::vector<std::string> remediation;
  std::vector<std::string> references;
  std::vector<std::string> explains;
  // Fields whose every distinct value over a finding's records the report lists (`lists:`, e.g. each cloned
  // CMID): the explanation and the evidence only sample them.
  std::vector<std::string> lists;
  std::vector<Record> positive, negative;  // embedded examples
  int positive_line = 0, negative_line = 0;
  // Where the parts the schema check reports on were written (1-based; 0 when absent).
  int kind_line = 0, group_by_line = 0, explain_line = 0, evidence_line = 0, lists_line = 0;
  std::vector<std::string> aggregates;  // aggregate names `having` and `explain` ask for
};

}  // namespace kmsdiag
