#include "correlate/host_sightings.hpp"

#include <algorithm>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {

bool HostSightings::seen(std::string_view cmid, int64_t at) const {
  const LedgerCmid* logged = ledger_.cmid(cmid);
  if (!logged) return false;
  if (at == kNoTime) return true;  // an undated attempt: any 12290 for the CMID counts
  const auto& times = logged->times;
  const auto first = std::lower_bound(times.begin(), times.end(), at - kHostJoinWindowMs);
  return first != times.end() && *first <= at + kHostJoinWindowMs;
}

}  // namespace kmsdiag::correlation
