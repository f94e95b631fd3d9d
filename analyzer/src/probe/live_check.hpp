// The live check: for each domain, the _vlmcs._tcp SRV lookup on every DNS server, the A/AAAA lookup of
// every target, and a TCP connect + DCE/RPC bind to each address; then the cross-server comparison and
// the expected-host comparison. The result becomes Records (`dns.srv-lookup`, `probe.target`,
// `dns.srv-domain`, rules/records.md) for the rule engine, and a health status for monitoring.
#pragma once

#include <string>
#include <vector>

#include "model/record.hpp"
#include "probe/rpc_bind_probe.hpp"
#include "probe/srv_classify.hpp"
#include "probe/target_resolver.hpp"
#include "probe/tcp_probe.hpp"

namespace kmsdiag {

struct LiveOptions {
  std::vector<std::string> domains;       // empty: the resolver search list
  std::vector<std::string> servers;       // "IP[:port]"; empty: the nameservers of resolv_conf, each separately
  std::vector<std::string> expect_hosts;  // hosts that should be published; others are rogue
  int timeout_ms = 1000;                  // per DNS try, per TCP connect, per RPC bind
  int deadline_ms = 10000;                // the whole check
  size_t max_inflight = 100;              // DNS queries in flight at once
  size_t probe_workers = 16;              // concurrent TCP/RPC probes
  std::string resolv_conf = "/etc/resolv.conf";
};

struct DomainLookup {
  std::string domain;
  size_t server = 0;
  SrvAnswer answer;
  double elapsed_ms = 0;
};

// One published target of a domain (the union over servers).
struct TargetProbe {
  std::string domain;
  SrvTarget target;
  int rank = 0;                      // 1-based RFC 2782 position within the domain
  std::vector<std::string> servers;  // which servers published it
  TargetAddresses resolved;
  std::string tcp, tcp_detail;  // of the best address: open > refused > timeout > unreachable
  std::string rpc, rpc_detail;  // kms | not-kms | no-answer; empty when no address was open
  std::string probed_address;   // the address the tcp/rpc result is for
  double elapsed_ms = 0;
  std::string expected;  // "1"/"0", "" when no expected hosts were given
};

struct DomainSummary {
  std::string domain;
  bool agree = true;  // every server gave the same status and the same target set
  std::vector<std::string> hosts, rogue, missing;
  int targets = 0, reachable = 0;  // distinct targets; of which a KMS answered the bind
};

struct LiveResult {
  std::vector<std::string> servers;
  std::vector<std::string> domains;
  std::vector<std::string> expect_hosts;
  std::vector<DomainLookup> lookups;  // per domain, per server
  std::vector<TargetProbe> targets;   // per domain in RFC 2782 order
  std::vector<DomainSummary> summaries;
  bool deadline_hit = false;
  double elapsed_ms = 0;
};

// What the system resolver would use: the `search` (or `domain`) list, where the last such line wins as
// in the resolver, and the `nameserver` addresses as "IP:53" / "[IPv6]:53". A missing file gives nothing.
struct ResolvConf {
  std::vector<std::string> search, nameservers;
};
ResolvConf read_resolv_conf(const std::string& path);

// "corp.example.", "_vlmcs._tcp.Corp.Example" -> "corp.example".
std::string normalize_domain(std::string_view text);

// Runs the check. Throws std::runtime_error when it cannot run at all (no nameserver, bad server text).
LiveResult run_live_check(const LiveOptions& options);

// The facts for the rule engine; `machine` is the vantage point (this computer).
std::vector<Record> live_records(const LiveResult& result, const std::string& machine);

// This computer's host name (the machine live facts describe).
std::string local_machine_name();

}  // namespace kmsdiag
