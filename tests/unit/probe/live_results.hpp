// Hand-built live check results for the health and rendering tests.
#pragma once

#include <string>

#include "probe/live_check.hpp"

namespace kmsdiag {

// One domain, one server, one target with the given outcome.
inline LiveResult one_target(std::string status, std::string tcp, std::string rpc) {
  LiveResult r;
  r.servers = {"10.0.0.53:53"};
  r.domains = {"corp.example"};
  DomainLookup l;
  l.domain = "corp.example";
  l.answer.status = status;
  if (status == "records") l.answer.targets = {{0, 100, 1688, "kms1.corp.example"}};
  r.lookups.push_back(l);
  DomainSummary s;
  s.domain = "corp.example";
  if (status == "records") {
    TargetProbe t;
    t.domain = "corp.example";
    t.target = l.answer.targets[0];
    t.rank = 1;
    t.resolved.status = "resolved";
    t.resolved.addresses = {"10.0.0.10"};
    t.tcp = tcp;
    t.rpc = rpc;
    t.probed_address = "10.0.0.10";
    r.targets.push_back(t);
    s.targets = 1;
    s.reachable = rpc == "kms";
    s.hosts = {"kms1.corp.example"};
  }
  r.summaries.push_back(s);
  r.elapsed_ms = 12;
  return r;
}

}  // namespace kmsdiag
