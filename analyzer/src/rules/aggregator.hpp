// Aggregates over a run of records in time order ("count", "distinct.machine", "max.count", ...), kept
// up to date as records enter at the back and leave at the front, so a sliding time window costs
// O(log n) per step instead of a rescan.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/condition.hpp"

namespace kmsdiag {

enum class AggregateKind { count, distinct, first, last, min, max, sum };

struct AggregateName {
  AggregateKind kind = AggregateKind::count;
  std::string field;  // empty for count
};

// "count" / "distinct.F" / "first.F" / "last.F" / "min.F" / "max.F" / "sum.F"; nullopt otherwise.
std::optional<AggregateName> parse_aggregate_name(std::string_view name);

// Number as rules print it: integers without a fraction.
std::string format_number(double v);

class Aggregator : public ValueLookup {
 public:
  // `names` are the aggregates anyone will ask for (others answer nullopt).
  explicit Aggregator(const std::vector<std::string>& names);

  void push_back(const Record& r);
  void pop_front();
  size_t size() const { return records_.size(); }

  // An aggregate name, else a field (or pseudo-field) of the first record.
  std::optional<std::string_view> get(std::string_view name, std::string& scratch) const override;

 private:
  struct Tracked {
    std::string name;
    AggregateName agg;
    std::map<std::string, int> distinct;  // lower-cased value -> occurrences
    std::map<double, int> numbers;        // numeric value -> occurrences (min / max)
    double sum = 0;
  };
  void account(Tracked& t, const Record& r, int delta);

  std::vector<Tracked> tracked_;
  std::deque<const Record*> records_;
};

}  // namespace kmsdiag
