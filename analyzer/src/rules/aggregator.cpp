#include "rules/aggregator.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace kmsdiag {

std::optional<AggregateName> parse_aggregate_name(std::string_view name) {
  if (name == "count") return AggregateName{};
  static constexpr std::array<std::pair<std::string_view, AggregateKind>, 6> kPrefixes = {
      {{"distinct.", AggregateKind::distinct},
       {"first.", AggregateKind::first},
       {"last.", AggregateKind::last},
       {"min.", AggregateKind::min},
       {"max.", AggregateKind::max},
       {"sum.", AggregateKind::sum}}};
  for (const auto& [prefix, kind] : kPrefixes)
    if (name.size() > prefix.size() && name.substr(0, prefix.size()) == prefix)
      return AggregateName{kind, std::string(name.substr(prefix.size()))};
  return std::nullopt;
}

std::string format_number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{}", v);
}

Aggregator::Aggregator(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const std::optional<AggregateName> agg = parse_aggregate_name(name);
    if (!agg) continue;
    bool seen = false;
    for (const Tracked& t : tracked_) seen = seen || t.name == name;
    if (!seen) tracked_.push_back({name, *agg, {}, {}, 0});
  }
}

void Aggregator::account(Tracked& t, const Record& r, int delta) {
  if (t.agg.kind == AggregateKind::count || t.agg.kind == AggregateKind::first || t.agg.kind == AggregateKind::last)
    return;  // answered from the record list itself
  std::string scratch;
  const std::optional<std::string_view> v = RecordLookup(r).get(t.agg.field, scratch);
  if (!v || trim(*v).empty()) return;
  if (t.agg.kind == AggregateKind::distinct) {
    const std::string key = ascii_lower(trim(*v));
    if ((t.distinct[key] += delta) == 0) t.distinct.erase(key);
    return;
  }
  const std::optional<double> n = to_number(*v);
  if (!n) return;
  t.sum += delta * *n;
  if ((t.numbers[*n] += delta) == 0) t.numbers.erase(*n);
}

void Aggregator::push_back(const Record& r) {
  records_.push_back(&r);
  for (Tracked& t : tracked_) account(t, r, +1);
}

void Aggregator::pop_front() {
  const Record& r = *records_.front();
  for (Tracked& t : tracked_) account(t, r, -1);
  records_.pop_front();
}

std::optional<std::string_view> Aggregator::get(std::string_view name, std::string& scratch) const {
  for (const Tracked& t : tracked_) {
    if (t.name != name) continue;
    switch (t.agg.kind) {
      case AggregateKind::count:
        scratch = format_number(static_cast<double>(records_.size()));
        break;
      case AggregateKind::distinct:
        scratch = format_number(static_cast<double>(t.distinct.size()));
        break;
      case AggregateKind::first:
      case AggregateKind::last: {
        if (records_.empty()) return std::nullopt;
        const Record& r = t.agg.kind == AggregateKind::first ? *records_.front() : *records_.back();
        return RecordLookup(r).get(t.agg.field, scratch);
      }
      case AggregateKind::min:
      case AggregateKind::max:
        if (t.numbers.empty()) return std::nullopt;
        scratch =
            format_number(t.agg.kind == AggregateKind::min ? t.numbers.begin()->first : t.numbers.rbegin()->first);
        break;
      case AggregateKind::sum:
        scratch = format_number(t.sum);
        break;
    }
    return std::string_view(scratch);
  }
  if (parse_aggregate_name(name) || records_.empty()) return std::nullopt;
  return RecordLookup(*records_.front()).get(name, scratch);
}

}  // namespace kmsdiag
