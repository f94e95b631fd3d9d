// What the fleet looked like over the logs' time span, for a report to draw: each KMS host's count against
// its threshold, the clients' failures by error code, and one row per machine and product (what VAMT lists).
// Filled by correlate (correlate/fleet_overview.hpp) from the facts it already holds; its size does not grow
// with the number of requests: series are per-day buckets (wider when the logs span more than a year) and the
// inventory is capped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/record.hpp"

namespace kmsdiag {

// A series' buckets: bucket i covers [start_ms + i * bucket_days days, + bucket_days days).
struct TimeBuckets {
  int64_t start_ms = kNoTime;  // UTC midnight of the first bucket; kNoTime when nothing was dated
  int64_t bucket_days = 1;
  size_t count = 0;
};

// A series holds at most this many buckets: a day each for a year of logs, wider beyond.
inline constexpr size_t kMaxTimelineBuckets = 366;

// The buckets from the UTC day of `first_ms` to that of `last_ms` (both dated, first <= last).
TimeBuckets day_buckets(int64_t first_ms, int64_t last_ms);
// The bucket holding `ms`, clamped to the grid.
size_t bucket_of(const TimeBuckets& buckets, int64_t ms);
int64_t bucket_start_ms(const TimeBuckets& buckets, size_t i);

// One count line of one KMS host, from its own 12290s.
struct HostCountSeries {
  std::string host;                 // as its log spells it
  std::string line;                 // count line id ("windows", "office2016")
  std::string line_name;            // "Windows", "Office 2016"
  std::optional<uint64_t> cap;      // the most the host counts on the line, when the tables know the line
  std::optional<double> threshold;  // what the products that asked need
  TimeBuckets buckets;
  std::vector<uint64_t> counts;  // per bucket: the count the host reported at its highest (capped)
};

// Failed client attempts of one kind: an error code, or a failure without one (below the threshold,
// unanswered), which the clients log with code 0.
struct FailureSeries {
  std::string code;    // "0xC004F074", or a phrase for a failure without a code
  std::string symbol;  // "SL_E_..." when the tables know the code
  uint64_t total = 0;
  std::vector<uint64_t> counts;  // per bucket of FailureTimeline::buckets
};

struct FailureTimeline {
  TimeBuckets buckets;
  std::vector<FailureSeries> series;  // most frequent first; codes past the cap are one "other codes" series
  uint64_t undated = 0;               // failed attempts without a time, not drawn
};

// One product on one machine, as the machine's own records (slmgr, ospp, its event log) show it.
struct MachineProduct {
  std::string machine;                // its name, or "the machine whose output is in <folder>" for command output
  std::string product;                // the tables' name for its Activation ID, else as printed
  std::string license;                // license status name ("Licensed", "Initial grace period", ...)
  std::string channel;                // key channel, when printed
  int64_t last_success_ms = kNoTime;  // its newest activation that succeeded
  std::string kms_host;               // the host it used last (host:port)
  std::string cmid;
  std::optional<int64_t> minutes_to_expiry;  // left in its license state when that was recorded
  int64_t state_ms = kNoTime;                // when that was (kNoTime: command output, taken at export time)
  SourceRef source;                          // the record that showed the state
};

struct FleetOverview {
  std::vector<HostCountSeries> host_counts;  // by host, then line
  FailureTimeline failures;
  std::vector<MachineProduct> machines;  // by machine, then product
  uint64_t machines_not_listed = 0;      // rows past the cap
};

}  // namespace kmsdiag
