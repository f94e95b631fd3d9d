// When a KMS host logged a CMID: the host side of joining a client's attempt to the host's 12290s.
#pragma once

#include <cstdint>
#include <string_view>

#include "correlate/host_request_ledger.hpp"

namespace kmsdiag::correlation {

class HostSightings {
 public:
  explicit HostSightings(const HostRequestLedger& ledger) : ledger_(ledger) {}

  // True when a 12290 for `cmid` lies within kHostJoinWindowMs of `at` (any 12290 when `at` is undated).
  bool seen(std::string_view cmid, int64_t at) const;

 private:
  const HostRequestLedger& ledger_;
};

}  // namespace kmsdiag::correlation
