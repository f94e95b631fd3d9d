#include "rules/rule_schema_check.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <re2/re2.h>

#include <algorithm>

#include "rules/aggregator.hpp"

namespace kmsdiag {
namespace {

using Decls = std::vector<const FieldSpec*>;  // a name's declarations across the rule's kinds

const FieldSpec kIntResult{"", ValueType::integer, {}, ""};
const FieldSpec kNumberResult{"", ValueType::number, {}, ""};

bool is_numeric(ValueType t) { return t == ValueType::integer || t == ValueType::number || t == ValueType::boolean; }
// Ordered comparisons work on numbers and on ISO times (which order correctly as text).
bool is_ordered(ValueType t) { return is_numeric(t) || t == ValueType::time; }

// A literal a rule may compare with a field of this type. Looser than value_has_type where the
// comparison semantics allow it: `0x19` equals `0x00000019`, a guid literal may differ in case.
bool literal_fits(const FieldSpec& f, const std::string& literal) {
  static const RE2 kCode("0[xX][0-9A-Fa-f]{1,8}");
  switch (f.type) {
    case ValueType::hresult:
      return RE2::FullMatch(literal, kCode);
    case ValueType::integer:
    case ValueType::number:
      return to_number(literal).has_value();
    case ValueType::guid:
      return value_has_type(f, ascii_lower(literal));
    default:
      return value_has_type(f, literal);
  }
}

std::string kinds_text(const Rule& rule) { return fmt::format("{}", fmt::join(rule.match.kinds, ", ")); }

class Checker {
 public:
  Checker(const Rule& rule, const RecordSchema& schema, std::vector<RuleError>& errors)
      : rule_(rule), schema_(schema), errors_(errors) {}

  void run();

 private:
  void error(int line, std::string message) { errors_.push_back({rule_.file, line, std::move(message)}); }
  Decls field(const std::string& name) const;
  // The declarations of `name`, reporting an unknown field at `line`; empty when unknown.
  Decls known_field(const std::string& name, int line, std::string_view where);
  // The type(s) an aggregate name yields; empty (and reported) when its field is unknown or unsuitable.
  Decls aggregate(const AggregateName& agg, const std::string& name, int line);
  void condition(const Condition& c, const Decls& decls, bool in_having);
  void placeholders(const TextTemplate& t, int line, bool explain);
  void example(const Record& r, std::string_view list);

  const Rule& rule_;
  const RecordSchema& schema_;
  std::vector<RuleError>& errors_;
  std::vector<const KindSpec*> kinds_;
};

Decls Checker::field(const std::string& name) const {
  Decls out;
  for (const KindSpec* k : kinds_)
    if (const FieldSpec* f = schema_.field(*k, name)) out.push_back(f);
  return out;
}

Decls Checker::known_field(const std::string& name, int line, std::string_view where) {
  Decls d = field(name);
  if (d.empty())
    error(line, fmt::format("unknown field '{}' in {}: kind {} has no such field (rules/records.md)", name, where,
                            kinds_text(rule_)));
  return d;
}

Decls Checker::aggregate(const AggregateName& agg, const std::string& name, int line) {
  if (agg.kind == AggregateKind::count) return {&kIntResult};
  const Decls d = known_field(agg.field, line, fmt::format("aggregate '{}'", name));
  if (d.empty()) return d;
  switch (agg.kind) {
    case AggregateKind::distinct:
      return {&kIntResult};
    case AggregateKind::min:
    case AggregateKind::max:
    case AggregateKind::sum:
      for (const FieldSpec* f : d)
        if (!is_numeric(f->type)) {
          error(line, fmt::format("aggregate '{}' needs a numeric field, but '{}' is {}", name, agg.field,
                                  value_type_name(f->type)));
          return {};
        }
      return agg.kind == AggregateKind::sum ? Decls{&kNumberResult} : d;
    default:
      return d;
  }
}

void Checker::condition(const Condition& c, const Decls& decls, bool in_having) {
  if (decls.empty()) return;
  const bool ordered = c.op == Op::lt || c.op == Op::le || c.op == Op::gt || c.op == Op::ge;
  if (ordered)
    for (const FieldSpec* f : decls)
      if (!is_ordered(f->type)) {
        error(c.line, fmt::format("lt/le/gt/ge compare '{}' by order, but it is {} (use eq/ne/in/regex)", c.field,
                                  value_type_name(f->type)));
        return;
      }
  if (c.op == Op::regex || c.op == Op::not_regex || c.op == Op::exists) return;  // any type: matches the text
  for (const Operand& o : c.operands) {
    if (o.is_ref) {
      const std::optional<AggregateName> agg = in_having ? parse_aggregate_name(o.text) : std::nullopt;
      if (agg)
        aggregate(*agg, o.text, c.line);
      else
        known_field(o.text, c.line, fmt::format("'${}'", o.text));
      continue;
    }
    const bool fits =
        std::any_of(decls.begin(), decls.end(), [&](const FieldSpec* f) { return literal_fits(*f, o.text); });
    if (fits) continue;
    const FieldSpec& f = *decls.front();
    std::string expected = std::string(value_type_name(f.type));
    if (f.type == ValueType::enumeration) expected = fmt::format("one of {}", fmt::join(f.values, ", "));
    if (f.type == ValueType::hresult) expected = "an error code such as 0xC004F074";
    error(c.line, fmt::format("'{}' is compared with '{}', which is not {} ({} field)", c.field, o.text, expected,
                              value_type_name(f.type)));
  }
}

void Checker::placeholders(const TextTemplate& t, int line, bool explain) {
  for (const std::string& name : t.placeholders()) {
    if (explain) {
      if (name == "count" || name == "first_time" || name == "last_time" || name == "machine_list") continue;
      if (const auto agg = parse_aggregate_name(name)) {
        aggregate(*agg, name, line);
        continue;
      }
      if (name.rfind("values.", 0) == 0) {
        known_field(name.substr(7), line, fmt::format("'{{{}}}'", name));
        continue;
      }
      if (name.rfind("group.", 0) == 0) continue;  // its field is in group_by, checked there
    }
    known_field(name, line, fmt::format("'{{{}}}'", name));
  }
}

void Checker::example(const Record& r, std::string_view list) {
  const int line = static_cast<int>(r.source.position);
  const KindSpec* k = schema_.kind(r.kind);
  if (!k) {
    error(line, fmt::format("examples.{}: record kind '{}' is not in rules/schema.yaml", list, r.kind));
    return;
  }
  for (const FieldView& f : r.fields) {
    const FieldSpec* spec = schema_.field(*k, f.key);
    if (!spec)
      error(line, fmt::format("examples.{}: kind '{}' has no field '{}' (rules/records.md)", list, r.kind, f.key));
    else if (!trim(f.value).empty() && !value_has_type(*spec, f.value))
      error(line, fmt::format("examples.{}: {}.{} = \"{}\" is not a valid {}", list, r.kind, f.key, f.value,
                              value_type_name(spec->type)));
  }
}

void Checker::run() {
  for (const std::string& kind : rule_.match.kinds) {
    if (const KindSpec* k = schema_.kind(kind))
      kinds_.push_back(k);
    else
      error(rule_.kind_line, fmt::format("unknown record kind '{}': rules see only the kinds in rules/records.md "
                                         "(raw ingest records such as 'event' and 'cmd.*' never reach them)",
                                         kind));
  }
  if (!kinds_.empty()) {
    for (const Condition& c : rule_.match.where) condition(c, known_field(c.field, c.line, "'where'"), false);
    for (const auto& alt : rule_.match.any)
      for (const Condition& c : alt) condition(c, known_field(c.field, c.line, "'any'"), false);
    for (const std::string& g : rule_.match.group_by) known_field(g, rule_.group_by_line, "'group_by'");
    for (const std::string& field : rule_.lists) known_field(field, rule_.lists_line, "'lists'");
    for (const Condition& c : rule_.match.having)
      if (const auto agg = parse_aggregate_name(c.field)) condition(c, aggregate(*agg, c.field, c.line), true);
    placeholders(rule_.explain, rule_.explain_line, true);
    placeholders(rule_.evidence, rule_.evidence_line, false);
  }
  for (const Record& r : rule_.positive) example(r, "positive");
  for (const Record& r : rule_.negative) example(r, "negative");
}

}  // namespace

bool check_rule_schema(const Rule& rule, const RecordSchema& schema, std::vector<RuleError>& errors) {
  const size_t before = errors.size();
  Checker(rule, schema, errors).run();
  return errors.size() == before;
}

}  // namespace kmsdiag
