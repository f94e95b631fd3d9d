// The declared vocabulary of the records rules see (rules/schema.yaml): every kind, every field of each,
// and the field's type. The rule loader checks rules against it, so a misspelled field or kind is a load
// error instead of a rule that never fires; rules/records.md is generated from it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule_set.hpp"

namespace kmsdiag {

inline constexpr const char* kRecordSchemaFile = "schema.yaml";

enum class ValueType { hresult, guid, integer, number, boolean, time, enumeration, text, list };

std::optional<ValueType> parse_value_type(std::string_view name);
std::string_view value_type_name(ValueType type);  // as written in the schema: "int", "bool", ...

struct FieldSpec {
  std::string name;
  ValueType type = ValueType::text;
  std::vector<std::string> values;  // for enumeration
  std::string doc;
};

struct KindSpec {
  std::string kind;
  std::string from;
  std::string machine;
  // false (`per_machine: false`): a record of this kind is about the whole run or one input, never one machine,
  // so an empty `machine` is no unnamed machine (the rule engine counts and names the machines of a finding).
  bool per_machine = true;
  // `machine_list: F`: the list field F names every machine a record of this kind is about (a CMID's every
  // name), so a finding counts and lists those rather than the record's `machine` alone. "" when absent.
  std::string machine_list;
  std::vector<FieldSpec> fields;  // groups already merged in, in declaration order
  const FieldSpec* field(std::string_view name) const;
};

struct SchemaSection {
  std::string title, intro, outro;
  std::vector<KindSpec> kinds;
};

struct RecordSchema {
  std::string header, footer;
  std::vector<std::pair<std::string, std::string>> types;  // type name -> meaning, as documented
  std::vector<FieldSpec> pseudo;                           // fields every record has
  std::vector<SchemaSection> sections;

  const KindSpec* kind(std::string_view name) const;
  const FieldSpec* pseudo_field(std::string_view name) const;
  // The kind's own field, else a pseudo-field (a real field takes precedence, as in rules); nullptr if neither.
  const FieldSpec* field(const KindSpec& kind, std::string_view name) const;
};

// nullopt (and errors, file:line) when the schema is missing or malformed.
std::optional<RecordSchema> load_record_schema(const std::string& path, std::vector<RuleError>& errors);

// Whether a non-empty value is well-formed for the field's type (an enum value must be listed; compared
// case-insensitively, as rules compare).
bool value_has_type(const FieldSpec& field, std::string_view value);

// The type of a finding's fact (analysis.hpp Finding::facts: a group field or an aggregate such as
// `max.count`), when the schema gives it one: `count`/`distinct.F` int, `sum.F` number, else the type F has
// in every kind that declares it (nullopt when undeclared or declared with different types).
std::optional<ValueType> fact_value_type(const RecordSchema& schema, std::string_view fact);

// The schema the last successful RuleSet::load (with the schema check) used, for the report's typed JSON
// facts: findings do not carry their rule, and the report sees only the Analysis. nullptr before any load.
std::shared_ptr<const RecordSchema> published_record_schema();
void publish_record_schema(std::shared_ptr<const RecordSchema> schema);

}  // namespace kmsdiag
