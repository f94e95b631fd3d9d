// A and AAAA lookups for SRV targets, on the same server that named them. A target without any
// address is a stale record: clients get the name but can never connect.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "probe/srv_resolver.hpp"

namespace kmsdiag {

struct TargetAddresses {
  std::string status;  // resolved, or the status word of the failed lookup (nxdomain, nodata, timeout, ...)
  std::string detail;
  std::vector<std::string> addresses;  // IPv4 first, then IPv6, as text
};

// Queues the A and AAAA queries for `host` on channel `server`; `done` runs (inside resolver.run())
// once both have completed.
void resolve_target(SrvResolver& resolver, size_t server, const std::string& host,
                    std::function<void(const TargetAddresses&)> done);

}  // namespace kmsdiag
