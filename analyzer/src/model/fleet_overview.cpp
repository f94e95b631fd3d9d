#include "model/fleet_overview.hpp"

#include <algorithm>

namespace kmsdiag {
namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

TimeBuckets day_buckets(int64_t first_ms, int64_t last_ms) {
  const int64_t first_day = floor_div(first_ms, kDayMs);
  const int64_t days = floor_div(last_ms, kDayMs) - first_day + 1;
  constexpr auto kMax = static_cast<int64_t>(kMaxTimelineBuckets);
  TimeBuckets b;
  b.start_ms = first_day * kDayMs;
  b.bucket_days = std::max<int64_t>(1, (days + kMax - 1) / kMax);
  b.count = static_cast<size_t>((days + b.bucket_days - 1) / b.bucket_days);
  return b;
}

size_t bucket_of(const TimeBuckets& buckets, int64_t ms) {
  if (buckets.count == 0) return 0;
  const int64_t i = floor_div(ms - buckets.start_ms, buckets.bucket_days * kDayMs);
  return static_cast<size_t>(std::clamp<int64_t>(i, 0, static_cast<int64_t>(buckets.count) - 1));
}

int64_t bucket_start_ms(const TimeBuckets& buckets, size_t i) {
  return buckets.start_ms + static_cast<int64_t>(i) * buckets.bucket_days * kDayMs;
}

}  // namespace kmsdiag
