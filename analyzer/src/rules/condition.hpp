// One comparison a rule makes on a value ("hresult equals 0xC004F038", "count lt $n_policy"), and
// the lookup interface that supplies values: a record's fields in `where`, a group's aggregates in
// `having`. The same comparison semantics apply everywhere, so rule authors learn them once.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/record.hpp"

namespace kmsdiag {

// Supplies the value named `name`, or nullopt when there is none. `scratch` may hold the text the
// returned view points into (for computed values).
class ValueLookup {
 public:
  virtual ~ValueLookup() = default;
  virtual std::optional<std::string_view> get(std::string_view name, std::string& scratch) const = 0;
};

// A record's fields, then the pseudo-fields "machine", "kind" and "time" (ISO 8601 UTC).
class RecordLookup : public ValueLookup {
 public:
  explicit RecordLookup(const Record& r) : record_(r) {}
  std::optional<std::string_view> get(std::string_view name, std::string& scratch) const override;

 private:
  const Record& record_;
};

// A literal from the rule, pre-parsed once, or a `$name` reference resolved per evaluation.
struct Operand {
  std::string text;              // as written (without the '$' for references)
  std::optional<double> number;  // literal parsed as a number
  bool is_ref = false;
};

enum class Op { eq, ne, lt, le, gt, ge, regex, not_regex, exists, in, not_in };
std::optional<Op> parse_op(std::string_view name);

struct Condition {
  std::string field;
  Op op = Op::eq;
  std::vector<Operand> operands;  // one, or the list for in / not_in; none for exists / regex
  bool exists = true;             // for Op::exists
  std::shared_ptr<const RE2> re;  // for Op::regex / Op::not_regex
  int line = 0;

  // A value that is absent or empty makes every condition false except `exists: false`, `ne`,
  // `not_in` and `not_regex`, which hold.
  bool holds(const ValueLookup& values) const;
};

// Every condition holds (an empty list holds).
bool all_hold(const std::vector<Condition>& conditions, const ValueLookup& values);

}  // namespace kmsdiag
