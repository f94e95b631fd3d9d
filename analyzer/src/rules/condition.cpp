#include "rules/condition.hpp"

#include <array>
#include <cctype>

namespace kmsdiag {

std::optional<std::string_view> RecordLookup::get(std::string_view name, std::string& scratch) const {
  if (const auto v = record_.find(name)) return v;
  if (name == "machine") return std::string_view(record_.machine);
  if (name == "kind") return std::string_view(record_.kind);
  if (name == "time") {
    if (record_.time_ms == kNoTime) return std::nullopt;
    scratch = format_time(record_.time_ms);
    return std::string_view(scratch);
  }
  return std::nullopt;
}

std::optional<Op> parse_op(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, Op>, 11> kOps = {{{"eq", Op::eq},
                                                                            {"ne", Op::ne},
                                                                            {"lt", Op::lt},
                                                                            {"le", Op::le},
                                                                            {"gt", Op::gt},
                                                                            {"ge", Op::ge},
                                                                            {"regex", Op::regex},
                                                                            {"not_regex", Op::not_regex},
                                                                            {"exists", Op::exists},
                                                                            {"in", Op::in},
                                                                            {"not_in", Op::not_in}}};
  for (const auto& [text, op] : kOps)
    if (text == name) return op;
  return std::nullopt;
}

namespace {

// Case-insensitive three-way comparison of ASCII text, without allocating.
int compare_text(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const int ca = std::tolower(static_cast<unsigned char>(a[i]));
    const int cb = std::tolower(static_cast<unsigned char>(b[i]));
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

// Numbers when both sides are numbers (so "0x19" equals "25"), else case-insensitive text.
int compare_values(std::string_view value, std::optional<double> value_number, std::string_view other,
                   std::optional<double> other_number) {
  if (value_number && other_number) return *value_number < *other_number ? -1 : (*value_number > *other_number);
  return compare_text(trim(value), trim(other));
}

}  // namespace

bool Condition::holds(const ValueLookup& values) const {
  std::string scratch;
  const std::optional<std::string_view> found = values.get(field, scratch);
  const bool present = found && !trim(*found).empty();
  const bool negated = op == Op::ne || op == Op::not_in || op == Op::not_regex;
  if (op == Op::exists) return present == exists;
  if (!present) return negated;
  const std::string_view value = *found;

  if (op == Op::regex || op == Op::not_regex) return RE2::PartialMatch(value, *re) == (op == Op::regex);

  const std::optional<double> value_number = to_number(value);
  // Compares against one operand; nullopt when a `$name` reference has no value.
  auto compare_with = [&](const Operand& operand) -> std::optional<int> {
    if (!operand.is_ref) return compare_values(value, value_number, operand.text, operand.number);
    std::string ref_scratch;
    const std::optional<std::string_view> other = values.get(operand.text, ref_scratch);
    if (!other || trim(*other).empty()) return std::nullopt;
    return compare_values(value, value_number, *other, to_number(*other));
  };

  if (op == Op::in || op == Op::not_in) {
    for (const Operand& operand : operands)
      if (compare_with(operand) == 0) return op == Op::in;
    return op == Op::not_in;
  }
  const std::optional<int> c = compare_with(operands.front());
  if (!c) return negated;
  switch (op) {
    case Op::eq:
      return *c == 0;
    case Op::ne:
      return *c != 0;
    case Op::lt:
      return *c < 0;
    case Op::le:
      return *c <= 0;
    case Op::gt:
      return *c > 0;
    case Op::ge:
      return *c >= 0;
    default:
      return false;  // handled above
  }
}

bool all_hold(const std::vector<Condition>& conditions, const ValueLookup& values) {
  for (const Condition& c : conditions)
    if (!c.holds(values)) return false;
  return true;
}

}  // namespace kmsdiag
