// The `cmd.srv-lookup` record every SRV lookup reader (nslookup, Resolve-DnsName, dig) produces:
// one per query, whatever tool printed it.
#pragma once

#include <string>
#include <vector>

#include "ingest/reader.hpp"

namespace kmsdiag {

// One SRV target as the tool printed it (text, not parsed: the probe stage has its own typed SrvTarget).
struct PrintedSrvTarget {
  std::string priority, weight, port, host;
};

struct SrvLookup {
  uint64_t line = 0;     // first line of the query's output
  std::string query;     // name asked for ("_vlmcs._tcp.corp.example")
  std::string server;    // DNS server that answered, when printed
  std::string status;    // records|nxdomain|nodata|servfail|refused|timeout|error; "" = decide from targets
  bool saw_soa = false;  // an authority SOA without answers means the name exists but has no SRV (NODATA)
  std::vector<PrintedSrvTarget> targets;

  bool empty() const { return query.empty() && status.empty() && targets.empty() && !saw_soa; }
};

// "_vlmcs._tcp.corp.example." -> "corp.example"; "" for a bare "_vlmcs._tcp".
std::string srv_domain(std::string_view query);

// Limits shared by the SRV lookup readers: a console line, and the targets one lookup may list.
inline constexpr size_t kSrvMaxLine = 64 * 1024;
inline constexpr size_t kSrvMaxTargets = 1000;

// The first `max` whitespace-separated words of a line.
std::vector<std::string> split_words(std::string_view text, size_t max = 16);

// Emits `lookup` as a cmd.srv-lookup record (nothing when it is empty) and resets it.
// Returns true when a record was emitted.
bool emit_srv_lookup(SrvLookup& lookup, const std::string& path, std::string_view format, RecordSink& sink);

}  // namespace kmsdiag
