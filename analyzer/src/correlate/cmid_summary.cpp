#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {
namespace {

struct NameActivity {
  std::string display;  // spelling of the earliest sighting
  int64_t first = kNoTime, last = kNoTime;
};

struct CmidActivity {
  const Record* earliest = nullptr;
  std::map<std::string, NameActivity> names;  // by machine_key
  std::set<std::string_view> client_logs;
  uint64_t requests = 0;
  int64_t first = kNoTime, last = kNoTime;
};

bool earlier(const Record& a, const Record& b) {
  return std::tie(a.time_ms, a.source.path, a.source.position) < std::tie(b.time_ms, b.source.path, b.source.position);
}

void widen(int64_t& first, int64_t& last, int64_t t) {
  if (t == kNoTime) return;
  if (first == kNoTime || t < first) first = t;
  if (last == kNoTime || t > last) last = t;
}

// Most names whose [first, last] activity intervals overlap at one instant: a renamed machine
// yields 1 (its names follow each other), cloned images yield one per clone active at once.
// Names never seen with a time cannot be placed and count as one name at most.
uint64_t concurrent_names(const std::map<std::string, NameActivity>& names) {
  enum Edge { kStart = 0, kEnd = 1 };  // at equal times starts sort first: closed intervals
  std::vector<std::pair<int64_t, Edge>> edges;
  for (const auto& [key, n] : names)
    if (n.first != kNoTime) {
      edges.emplace_back(n.first, kStart);
      edges.emplace_back(n.last, kEnd);
    }
  std::sort(edges.begin(), edges.end());
  int64_t open = 0, most = names.empty() ? 0 : 1;
  for (const auto& [t, edge] : edges) {
    open += edge == kStart ? 1 : -1;
    most = std::max(most, open);
  }
  return static_cast<uint64_t>(most);
}

}  // namespace

std::vector<Record> summarise_cmids(const std::vector<Record>& facts) {
  std::map<std::string, CmidActivity> by_cmid;
  for (const auto& f : facts) {
    const std::string cmid = ascii_lower(trim(f.get("cmid")));
    if (cmid.empty()) continue;
    // A host log names the client in its `client` field; every other fact is the client's own.
    const bool host_side = f.kind == "kms.host-request";
    const std::string_view name = host_side ? f.get("client") : std::string_view(f.machine);
    CmidActivity& c = by_cmid[cmid];
    if (!c.earliest || earlier(f, *c.earliest)) c.earliest = &f;
    widen(c.first, c.last, f.time_ms);
    if (host_side || f.kind == "kms.client-request") ++c.requests;
    if (!host_side) c.client_logs.insert(f.source.path);
    if (trim(name).empty()) continue;
    NameActivity& n = c.names[machine_key(name)];
    if (n.display.empty() || (f.time_ms != kNoTime && (n.first == kNoTime || f.time_ms < n.first)))
      n.display = std::string(trim(name));
    widen(n.first, n.last, f.time_ms);
  }

  std::vector<Record> out;
  out.reserve(by_cmid.size());
  for (const auto& [cmid, c] : by_cmid) {
    Record r;
    r.kind = "kms.cmid";
    r.source = c.earliest->source;
    r.time_ms = c.first;
    r.machine = c.earliest->kind == "kms.host-request" ? std::string(c.earliest->get("client")) : c.earliest->machine;
    std::string machines;
    for (const auto& [key, n] : c.names) machines += (machines.empty() ? "" : ",") + n.display;
    r.set("cmid", cmid);
    r.set("machines", machines);
    r.set("machine_count", std::to_string(c.names.size()));
    r.set("concurrent_names", std::to_string(concurrent_names(c.names)));
    r.set("client_logs", std::to_string(c.client_logs.size()));
    r.set("requests", std::to_string(c.requests));
    r.set("first", format_time(c.first));
    r.set("last", format_time(c.last));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace kmsdiag::correlation
