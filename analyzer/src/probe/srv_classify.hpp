// What a DNS reply means for KMS discovery: the status words of the `dns.srv-lookup` record
// (records|nxdomain|nodata|unavailable|servfail|refused|timeout|malformed|error) and the SRV targets in RFC
// 2782 order. `unavailable`: the domain's only SRV records have the target "." (RFC 2782: the service is
// decidedly not available there). Records owned by another name than the question (nor reached from it by
// a CNAME in the answer) are not the domain's: they are left out, and `detail` says so.
#pragma once

#include <string>
#include <vector>

#include "probe/srv_resolver.hpp"

namespace kmsdiag {

struct SrvTarget {
  int priority = 0, weight = 0, port = 0;
  std::string host;  // lower case, no trailing dot
};

struct SrvAnswer {
  std::string status;
  std::string detail;              // the resolver's words for anything but "records"; notes on records left out
  std::vector<SrvTarget> targets;  // RFC 2782 order
};

// Status word for a c-ares status that carried no usable answer.
std::string status_word(int ares_status);
// Human text for a c-ares status ("deadline reached" for a cancelled query).
std::string status_detail(int ares_status);

// Classifies an SRV reply; a reply whose question or records do not parse is "malformed".
SrvAnswer classify_srv(const DnsReply& reply);

// RFC 2782: lowest priority first; within a priority, heavier weight first (the expected pick order),
// then host name so the output is stable.
bool rfc2782_before(const SrvTarget& a, const SrvTarget& b);
void order_rfc2782(std::vector<SrvTarget>& targets);

// "prio weight port host" joined with ",": the `targets` field shared with the nslookup/dig readers.
std::string format_targets(const std::vector<SrvTarget>& targets);

}  // namespace kmsdiag
