#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {
namespace {

struct NameActivity {
  std::string display;  // spelling of the earliest sighting
  int64_t first = kNoTime, last = kNoTime;
};

void widen(int64_t& first, int64_t& last, int64_t t) {
  if (t == kNoTime) return;
  if (first == kNoTime || t < first) first = t;
  if (last == kNoTime || t > last) last = t;
}

// The earliest sighting of a CMID by (time, path, position), and the machine it names.
struct Sighting {
  int64_t time_ms;
  SourceRef source;
  SharedText machine;
  bool operator<(const Sighting& o) const {
    return std::tie(time_ms, source.path, source.position) < std::tie(o.time_ms, o.source.path, o.source.position);
  }
};

struct CmidActivity {
  std::optional<Sighting> earliest;
  std::map<std::string, NameActivity> names;  // by machine_key
  std::set<std::string> client_logs;
  uint64_t requests = 0;
  int64_t first = kNoTime, last = kNoTime;
};

void sighted(CmidActivity& c, Sighting&& s) {
  if (!c.earliest || s < *c.earliest) c.earliest = std::move(s);
}

// Adds a name the CMID was seen with, active from `first` to `last`; `display` is the spelling at `first`.
void named(CmidActivity& c, std::string_view display, int64_t first, int64_t last) {
  if (trim(display).empty()) return;
  NameActivity& n = c.names[machine_key(display)];
  if (n.display.empty() || (first != kNoTime && (n.first == kNoTime || first < n.first)))
    n.display = std::string(trim(display));
  widen(n.first, n.last, first);
  widen(n.first, n.last, last);
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

// Adds what the host logs say of the CMID.
void add_logged(CmidActivity& c, const LedgerCmid& logged) {
  sighted(c, {logged.earliest_ms, logged.earliest_source(), std::string(logged.earliest_client)});
  widen(c.first, c.last, logged.first);
  widen(c.first, c.last, logged.last);
  c.requests += logged.requests;
  for (const LedgerName& n : logged.names) named(c, n.display, n.first, n.last);
}

// `fields` is scratch, the same for every CMID: the record gets an exact-size copy of it, one allocation
// where growing the record's own list and shrinking it to fit took several (a big host log has 50,000 CMIDs).
Record cmid_record(std::string_view cmid, const CmidActivity& c, FieldList& fields) {
  Record r;
  r.kind = "kms.cmid";
  r.source = c.earliest->source;
  r.time_ms = c.first;
  r.machine = c.earliest->machine;
  std::string machines;
  for (const auto& [key, n] : c.names) machines += (machines.empty() ? "" : ",") + n.display;
  fields.clear();
  fields.append("cmid", cmid);
  fields.append("machines", machines);
  fields.append("machine_count", std::to_string(c.names.size()));
  fields.append("concurrent_names", std::to_string(concurrent_names(c.names)));
  fields.append("client_logs", std::to_string(c.client_logs.size()));
  fields.append("requests", std::to_string(c.requests));
  fields.append("first", format_time(c.first));
  fields.append("last", format_time(c.last));
  r.fields = fields;
  return r;
}

}  // namespace

void summarise_cmids(std::vector<Record>& facts, const HostRequestLedger& ledger, size_t room_after) {
  // The clients' own facts name few CMIDs; the host logs may name fifty thousand, which are summarised
  // one at a time in CMID order, merged with the clients' view of the same CMID.
  std::map<std::string, CmidActivity, std::less<>> by_cmid;
  for (const auto& f : facts) {
    if (is_host_request(f)) continue;  // the ledger has every 12290
    const std::string cmid = ascii_lower(trim(f.get("cmid")));
    if (cmid.empty()) continue;
    CmidActivity& c = by_cmid[cmid];
    sighted(c, {f.time_ms, f.source, f.machine});  // copies: `facts` grows below
    widen(c.first, c.last, f.time_ms);
    c.requests += f.kind == kClientRequestKind;
    c.client_logs.insert(f.source.path.str());
    named(c, f.machine, f.time_ms, f.time_ms);
  }

  std::vector<Record>& out = facts;  // appended in place: two arrays of 50,000 records would be 10 MB more
  out.reserve(facts.size() + by_cmid.size() + ledger.cmids().size() + room_after);
  FieldList scratch;
  const auto add = [&](std::string_view cmid, const CmidActivity& c) { out.push_back(cmid_record(cmid, c, scratch)); };
  auto client = by_cmid.begin();
  for (const LedgerCmid& logged : ledger.cmids()) {
    for (; client != by_cmid.end() && client->first < logged.cmid; ++client) add(client->first, client->second);
    if (client != by_cmid.end() && client->first == logged.cmid) {
      add_logged(client->second, logged);
      add(client->first, client->second);
      ++client;
      continue;
    }
    CmidActivity c;
    add_logged(c, logged);
    add(logged.cmid, c);
  }
  for (; client != by_cmid.end(); ++client) add(client->first, client->second);
}

}  // namespace kmsdiag::correlation
