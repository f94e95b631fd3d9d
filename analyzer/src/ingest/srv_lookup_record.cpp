#include "ingest/srv_lookup_record.hpp"

#include <sstream>

#include "ingest/labeled_text.hpp"
#include "model/record.hpp"

namespace kmsdiag {

std::string srv_domain(std::string_view query) {
  std::string q(trim(query));
  while (!q.empty() && q.back() == '.') q.pop_back();
  const std::string lower = ascii_lower(q);
  constexpr std::string_view kPrefix = "_vlmcs._tcp";
  if (!lower.starts_with(kPrefix)) return ascii_lower(q);
  if (lower.size() == kPrefix.size()) return {};
  if (lower[kPrefix.size()] != '.') return lower;
  return lower.substr(kPrefix.size() + 1);
}

static std::string strip_dot(std::string s) {
  while (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Emits `lookup` as a cmd.srv-lookup record (nothing when it is empty) and resets it.
// Returns true when a record was emitted.
static bool emit_srv_lookup(SrvLookup& lookup, const std::string& path, std::string_view format, RecordSink& sink) {
  if (lookup.empty()) {
    lookup = SrvLookup{};
    return false;
  }
  Record r;
  r.kind = "cmd.srv-lookup";
  r.source = SourceRef{path, "line", lookup.line, ""};
  r.set("format", std::string(format));
  r.set("query", strip_dot(lookup.query));
  r.set("domain", srv_domain(lookup.query));
  r.set("server", lookup.server);
  // RFC 2782: a target of "." means the service is decidedly not available at this domain; it names no
  // host, so it is not a target (the live lookup reads it the same way).
  std::string targets;
  size_t count = 0, declined = 0;
  for (const auto& t : lookup.targets) {
    const std::string host = ascii_lower(strip_dot(t.host));
    if (host.empty()) {
      ++declined;
      continue;
    }
    if (!targets.empty()) targets += ",";
    targets += t.priority + " " + t.weight + " " + t.port + " " + host;
    ++count;
  }
  std::string status = lookup.status;
  // An answer wins over a timeout that nslookup met first (its reverse lookup of the server).
  if (count > 0) {
    status = "records";
  } else if (declined > 0) {
    status = "unavailable";
  } else if (status.empty() || status == "records") {
    status = lookup.saw_soa ? "nodata" : "error";
  }
  r.set("status", status);
  r.set("targets", targets);
  r.set("count", std::to_string(count));
  sink.on_record(std::move(r));
  lookup = SrvLookup{};
  return true;
}

SrvLookupScan::SrvLookupScan(ByteSource& in, RecordSink& sink, std::string_view format)
    : path_(in.path()), format_(format), sink_(sink), lines_(in, kSrvMaxLine) {}

bool SrvLookupScan::next(std::string_view& text, uint64_t& line_no) {
  if (!lines_.next(line_)) return false;
  line_no = lines_.line_number();
  lines_.report_if_truncated(sink_, stats_);
  text = strip_trailing_blanks(strip_leading_blanks(line_));
  return true;
}

void SrvLookupScan::finish() {
  if (emit_srv_lookup(lookup_, path_, format_, sink_)) ++stats_.records;
}

ReadStats SrvLookupScan::done() {
  finish();
  stats_.bytes = lines_.bytes();
  return stats_;
}

std::vector<std::string> split_words(std::string_view text, size_t max) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string w; out.size() < max && in >> w;) out.push_back(w);
  return out;
}

}  // namespace kmsdiag
