// The series a report draws over time: each KMS host's count per count line (from the ledger's per-bucket
// maxima) and the clients' failures per day.
#include <algorithm>
#include <map>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {
namespace {

// A client that asked a host below its threshold logs code 0 in its 12289 and stays unactivated, and an
// unanswered 12288 has no code at all: these failures are named for what happened instead of by a code.
std::string failure_kind(const Record& attempt) {
  const std::string_view code = trim(attempt.get("hresult"));
  if (is_error_code(code)) return std::string(code);
  if (attempt.get("below_threshold") == "1") return "count below threshold";
  if (attempt.has("answered") && attempt.get("answered") != "1") return "no answer";
  return "not activated";
}

constexpr std::string_view kOtherKinds = "other codes";

bool client_failure(const Record& f) {
  return f.kind == kAttemptKind && f.get("via") != "kms-host-log" && failed_attempt(f);
}

}  // namespace

std::vector<HostCountSeries> host_count_series(const HostRequestLedger& ledger, const Knowledge& kb) {
  std::vector<HostCountSeries> out;
  for (const LedgerHost& host : ledger.hosts()) {
    if (host.buckets.count == 0) continue;  // no dated request: nothing to place in time
    for (const LineView& v : line_views(host, kb)) {
      HostCountSeries s;
      s.host = host.display;
      s.line = v.counts->line;
      s.line_name = v.name;
      s.cap = v.cap;
      s.threshold = v.counts->threshold;
      s.buckets = host.buckets;
      s.counts.reserve(v.counts->by_bucket.size());
      for (uint64_t distinct : v.counts->by_bucket) s.counts.push_back(v.count(distinct));
      out.push_back(std::move(s));
    }
  }
  return out;
}

FailureTimeline client_failure_timeline(const std::vector<Record>& facts) {
  FailureTimeline timeline;
  int64_t first = kNoTime, last = kNoTime;
  std::map<std::string, std::pair<uint64_t, std::string>> kinds;  // kind -> (failures, symbol)
  for (const Record& f : facts) {
    if (!client_failure(f)) continue;
    if (f.time_ms == kNoTime) {
      ++timeline.undated;
      continue;
    }
    first = first == kNoTime ? f.time_ms : std::min(first, f.time_ms);
    last = last == kNoTime ? f.time_ms : std::max(last, f.time_ms);
    // Codes come from the input: past a few thousand distinct ones, the rest only add to the total.
    auto it = kinds.find(failure_kind(f));
    if (it == kinds.end() && kinds.size() < 4096)
      it = kinds.emplace(failure_kind(f), std::pair<uint64_t, std::string>{0, f.get("hresult_symbol")}).first;
    if (it != kinds.end()) ++it->second.first;
  }
  if (first == kNoTime) return timeline;
  timeline.buckets = day_buckets(first, last);

  // The most frequent kinds get a series each (ties by code, so the choice does not depend on input order).
  std::vector<std::pair<std::string, std::pair<uint64_t, std::string>>> ranked(kinds.begin(), kinds.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
  std::map<std::string, size_t> series_of;
  for (const auto& [kind, seen] : ranked) {
    if (timeline.series.size() == kMaxFailureKinds) break;
    series_of[kind] = timeline.series.size();
    timeline.series.push_back({kind, seen.second, 0, std::vector<uint64_t>(timeline.buckets.count, 0)});
  }
  size_t other = SIZE_MAX;
  for (const Record& f : facts) {
    if (!client_failure(f) || f.time_ms == kNoTime) continue;
    const auto it = series_of.find(failure_kind(f));
    size_t s = it == series_of.end() ? other : it->second;
    if (s == SIZE_MAX) {
      other = s = timeline.series.size();
      timeline.series.push_back({std::string(kOtherKinds), "", 0, std::vector<uint64_t>(timeline.buckets.count, 0)});
    }
    ++timeline.series[s].total;
    ++timeline.series[s].counts[bucket_of(timeline.buckets, f.time_ms)];
  }
  return timeline;
}

}  // namespace kmsdiag::correlation
