// The `cmd.srv-lookup` record every SRV lookup reader (nslookup, Resolve-DnsName, dig) produces:
// one per query, whatever tool printed it.
#pragma once

#include <string>
#include <vector>

#include "ingest/line_reader.hpp"
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

// Limits shared by the SRV lookup readers: a console line, and the targets one lookup may list. A DNS name
// is at most 253 bytes, so no line of SRV output nears 4 KB: a longer one is cut (a problem), which keeps
// one lookup's targets under 4 MB.
inline constexpr size_t kSrvMaxLine = 4 * 1024;
inline constexpr size_t kSrvMaxTargets = 1000;

// The first `max` whitespace-separated words of a line.
std::vector<std::string> split_words(std::string_view text, size_t max = 16);

// The frame every SRV lookup reader shares: the input's lines (blanks stripped; an over-long line is
// reported and cut), the lookup being gathered from them, and its emission as a record.
class SrvLookupScan {
 public:
  SrvLookupScan(ByteSource& in, RecordSink& sink, std::string_view format);
  // The next line, stripped (empty lines too: some tools end a block with one), and its number.
  bool next(std::string_view& text, uint64_t& line_no);
  SrvLookup& lookup() { return lookup_; }
  // Emits the lookup gathered so far (nothing when it is empty) and starts the next one.
  void finish();
  // Finishes the last lookup; what the reader reports.
  ReadStats done();

 private:
  std::string path_;
  std::string_view format_;
  RecordSink& sink_;
  LineReader lines_;
  std::string line_;
  SrvLookup lookup_;
  ReadStats stats_;
};

}  // namespace kmsdiag
