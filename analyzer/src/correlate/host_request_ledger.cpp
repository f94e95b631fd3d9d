#include "correlate/host_request_ledger.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <functional>
#include <tuple>
#include <unordered_set>
#include <utility>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {
namespace {

constexpr int64_t kRenewalSlackMs = 8 * kDayMs;  // renewals come every 7 days

// One dated request in 8 bytes: its time (43 bits, ±139 years around 1970), whether the host refused it,
// whether the client asked from a non-activated state, its count line (5 bits: an index into the ledger's
// lines), and 14 bits of a hash of its client, code and product. Two requests of one CMID to one host at
// the same millisecond with the same bits are the same request read twice; a hash collision among
// requests of one CMID and count line at one millisecond would merge two, a case real logs do not have.
// An entry is time * 2^21 + bits, signed, so entries sort by time and an entry shifted right by 21 is its
// time: seal() turns a CMID's entries into its request times in place, without a second array.
constexpr int kTimeShift = 21, kLineShift = 14;
constexpr uint64_t kFailing = uint64_t{1} << 20, kUnlicensed = uint64_t{1} << 19;
constexpr uint64_t kLineMask = uint64_t{kMaxCountLines - 1} << kLineShift;
constexpr uint64_t kTagMask = (uint64_t{1} << kLineShift) - 1;
constexpr int64_t kTimeLimit = int64_t{1} << 42;
static_assert(kMaxCountLines == (uint64_t{1} << (19 - kLineShift)), "the line index fills bits 14..18");

bool packable(int64_t time_ms) { return time_ms != kNoTime && time_ms >= -kTimeLimit && time_ms < kTimeLimit; }
int64_t pack(int64_t time_ms, uint64_t bits) {
  return time_ms * (int64_t{1} << kTimeShift) + static_cast<int64_t>(bits);
}
int64_t time_of(int64_t entry) { return entry >> kTimeShift; }  // arithmetic shift: floor, as bits >= 0
uint64_t bits_of(int64_t entry) { return static_cast<uint64_t>(entry) & ((uint64_t{1} << kTimeShift) - 1); }
size_t line_of(int64_t entry) { return static_cast<size_t>((bits_of(entry) & kLineMask) >> kLineShift); }

using Order = std::pair<uint64_t, uint64_t>;  // (unit, seq): input order
constexpr Order kNoOrder{UINT64_MAX, UINT64_MAX};

using Id = StringPool::Id;

// What a host's requests of one count line say outside their packed entries.
struct LineAcc {
  std::optional<double> threshold;  // highest product threshold asked for
  uint64_t undated = 0;             // requests without a usable time (not packed)
  Order first = kNoOrder;
  SourceRef first_source;
  int64_t first_ms = kNoTime;
};

struct HostAcc {
  Order first = kNoOrder;
  LedgerHost view;  // the fields known while streaming; the counts are filled in by seal()
  std::unordered_set<Id> clients;
  std::vector<LineAcc> lines;  // by line index
};

// A client name of one CMID: ids in the ledger's text pool, so a name costs 32 bytes.
struct NameAcc {
  Id key, display;
  std::tuple<int64_t, Order> display_at;  // dated before undated, then input order
  int64_t first = kNoTime, last = kNoTime;
};

// The requests of one CMID to one host.
struct GroupAcc {
  uint32_t host;
  std::vector<int64_t> dated;  // packed; sorted and unique after seal()
  uint64_t undated = 0, undated_failures = 0;
};

struct CmidAcc {
  Id cmid;
  int64_t earliest_ms = kNoTime;
  Id earliest_path = 0, earliest_unit = 0, earliest_record_id = 0, earliest_client = 0;
  uint64_t earliest_position = 0;
  bool seen = false;
  std::vector<NameAcc> names;
  std::vector<GroupAcc> groups;  // by host; nearly always one
};

struct RefusalAcc {
  std::tuple<int64_t, Order> at;  // of the fact standing for them all: the first one
  LedgerRefusal refusal;
  uint32_t host, cmid;
  uint64_t tag;  // its line and hash bits
  uint64_t undated = 0;
};

void widen(int64_t& first, int64_t& last, int64_t t) {
  if (t == kNoTime) return;
  if (first == kNoTime || t < first) first = t;
  if (last == kNoTime || t > last) last = t;
}

// Most CMIDs active at one instant, a CMID being active for 30 days after each of its requests: the
// host's count at its busiest, overall and within each of `buckets` (into `by_bucket`). The maximum is
// reached at some request, where an interval starts; a bucket without one keeps the count it began with.
uint64_t max_overlap(std::vector<std::pair<int64_t, int>>& edges, const TimeBuckets& buckets,
                     std::vector<uint64_t>& by_bucket) {
  std::sort(edges.begin(), edges.end());  // at equal times starts (0) before ends (1): closed intervals
  by_bucket.assign(buckets.count, 0);
  int64_t open = 0, most = 0;
  size_t begun = 0;  // buckets whose starting count is set
  for (const auto& [t, end] : edges) {
    // Every start lies within the buckets (they span the host's requests); ends past them change nothing.
    if (end && buckets.count > 0 && t >= bucket_start_ms(buckets, buckets.count)) break;
    const size_t b = bucket_of(buckets, t);
    for (; begun <= b && begun < buckets.count; ++begun) by_bucket[begun] = static_cast<uint64_t>(open);
    open += end ? -1 : 1;
    most = std::max(most, open);
    if (b < by_bucket.size()) by_bucket[b] = std::max(by_bucket[b], static_cast<uint64_t>(open));
  }
  for (; begun < buckets.count; ++begun) by_bucket[begun] = static_cast<uint64_t>(open);
  return static_cast<uint64_t>(most);
}

}  // namespace

struct HostRequestLedger::State {
  std::unordered_map<Id, uint32_t> host_index, cmid_index;  // text id -> position below
  std::vector<std::string> lines;  // count lines by index, as first met (at most kMaxCountLines)
  std::vector<HostAcc> hosts;
  std::vector<CmidAcc> cmids;
  std::unordered_map<std::string, RefusalAcc> refusals;  // by host, client, CMID, code, product
  std::string last_path;
  std::unordered_set<Id> client_cmids;  // CMIDs a client's own log asked with: their times are kept

  GroupAcc& group(uint32_t host, uint32_t cmid) {
    std::vector<GroupAcc>& groups = cmids[cmid].groups;
    for (GroupAcc& g : groups)
      if (g.host == host) return g;
    return groups.emplace_back(GroupAcc{host, {}, 0, 0});
  }

  // The index of a count line; a line beyond kMaxCountLines (the tables allow no more) shares the last.
  uint64_t line_index(std::string_view line) {
    const auto it = std::find(lines.begin(), lines.end(), line);
    if (it != lines.end()) return static_cast<uint64_t>(it - lines.begin());
    if (lines.size() == kMaxCountLines) return kMaxCountLines - 1;
    lines.emplace_back(line);
    return lines.size() - 1;
  }
};

HostRequestLedger::HostRequestLedger() : state_(std::make_unique<State>()) {}
HostRequestLedger::~HostRequestLedger() = default;

void HostRequestLedger::add(const Record& request, uint64_t unit, uint64_t seq) {
  // Everything derived from the record alone is computed before taking the lock.
  const std::string host_key = machine_key(request.machine);
  const std::string_view client = trim(request.get("client"));
  const std::string client_key = machine_key(client);
  // One buffer holds the variant (client, hresult and activation id, lower case) and then the CMID, so a
  // request costs one allocation here whatever their lengths.
  std::string keys = client_key;
  const auto append_lower = [&keys](std::string_view text) {
    for (const char c : trim(text)) keys += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  keys += '\x1f';
  const size_t hresult_at = keys.size();
  append_lower(request.get("hresult"));
  const size_t hresult_size = keys.size() - hresult_at;
  keys += '\x1f';
  append_lower(request.get("act_id"));
  const size_t variant_size = keys.size();
  keys += '\x1f';
  append_lower(request.get("cmid"));
  // Views once the buffer is complete (appending may move it).
  const bool failing = is_error_code(std::string_view(keys).substr(hresult_at, hresult_size));
  const std::string_view variant = std::string_view(keys).substr(0, variant_size);
  const std::string_view cmid = std::string_view(keys).substr(variant_size + 1);
  const std::string_view status = trim(request.get("license_status"));
  const uint64_t tag = std::hash<std::string_view>{}(variant)&kTagMask;
  const std::string_view line = trim(request.get("count_line"));
  const auto n_policy = to_number(request.get("n_policy"));
  // The threshold the product needs: the products table's, else what the host logged.
  const auto product_n = to_number(request.get("product_n"));
  const std::optional<double> threshold = product_n ? product_n : n_policy;
  const int64_t t = request.time_ms;
  const Order order{unit, seq};

  std::lock_guard lk(m_);
  State& s = *state_;
  if (request.source.path != s.last_path) {  // a log's requests come one after another
    paths_.insert(request.source.path.str());
    s.last_path = request.source.path;
  }

  const uint64_t line_index = s.line_index(line);
  const uint64_t line_tag = line_index << kLineShift | tag;
  const uint64_t bits = (failing ? kFailing : 0) | (!status.empty() && status != "1" ? kUnlicensed : 0) | line_tag;

  const Id host_text = text_.intern(host_key);
  const auto [host_at, new_host] = s.host_index.try_emplace(host_text, static_cast<uint32_t>(s.hosts.size()));
  const uint32_t h = host_at->second;
  if (new_host) s.hosts.emplace_back().view.key = host_key;
  HostAcc& host = s.hosts[h];
  if (host.lines.size() <= line_index) host.lines.resize(line_index + 1);
  LineAcc& host_line = host.lines[line_index];
  if (threshold && (!host_line.threshold || *threshold > *host_line.threshold)) host_line.threshold = threshold;
  host_line.undated += !packable(t);
  if (order < host_line.first) {
    host_line.first = order;
    host_line.first_source = request.source;
    host_line.first_ms = packable(t) ? t : kNoTime;
  }
  if (order < host.first) {
    host.first = order;
    host.view.first_source = request.source;
    host.view.first_ms = packable(t) ? t : kNoTime;
    host.view.display = std::string(trim(request.machine));
  }
  if (packable(t) && (host.view.last_ms == kNoTime || t > host.view.last_ms)) host.view.last_ms = t;
  if (n_policy && (!host.view.max_n_policy || *n_policy > *host.view.max_n_policy)) host.view.max_n_policy = n_policy;
  const Id client_text = text_.intern(client_key);
  if (!client_key.empty()) host.clients.insert(client_text);

  const Id cmid_text = text_.intern(cmid);
  const auto [cmid_at, new_cmid] = s.cmid_index.try_emplace(cmid_text, static_cast<uint32_t>(s.cmids.size()));
  const uint32_t c = cmid_at->second;
  if (new_cmid) s.cmids.emplace_back().cmid = cmid_text;
  GroupAcc& group = s.group(h, c);
  if (packable(t)) {
    group.dated.push_back(pack(t, bits));
  } else {
    ++group.undated;
    group.undated_failures += failing;
  }

  if (!cmid.empty()) {
    CmidAcc& acc = s.cmids[c];
    const auto earlier = [&] {
      if (t != acc.earliest_ms) return t < acc.earliest_ms;
      const std::string_view known = text_.view(acc.earliest_path);
      return request.source.path != known ? request.source.path < known
                                          : request.source.position < acc.earliest_position;
    };
    if (!acc.seen || earlier()) {
      acc.seen = true;
      acc.earliest_ms = t;
      acc.earliest_path = text_.intern(request.source.path);
      acc.earliest_unit = text_.intern(request.source.unit);
      acc.earliest_position = request.source.position;
      acc.earliest_record_id = text_.intern(request.source.record_id);
      acc.earliest_client = text_.intern(client);
    }
    if (!client_key.empty()) {
      auto it =
          std::find_if(acc.names.begin(), acc.names.end(), [&](const NameAcc& n) { return n.key == client_text; });
      if (it == acc.names.end()) it = acc.names.insert(acc.names.end(), {client_text, 0, {INT64_MAX, kNoOrder}});
      const std::tuple<int64_t, Order> at{t == kNoTime ? INT64_MAX : t, order};
      if (at < it->display_at) {
        it->display_at = at;
        it->display = text_.intern(client);
      }
      widen(it->first, it->last, t);
    }
  }

  if (failing) {
    const std::string key = std::to_string(h) + '\x1f' + keys;  // host, variant and CMID
    const auto [it, inserted] = s.refusals.try_emplace(key);
    RefusalAcc& r = it->second;
    const std::tuple<int64_t, Order> at{t, order};
    if (inserted || at < r.at) {
      r.at = at;
      r.refusal = {request, unit, seq};
      r.host = h;
      r.cmid = c;
      r.tag = line_tag;
    }
    r.undated += !packable(t);
  }
}

void HostRequestLedger::note_client_fact(const Record& fact) {
  if (fact.kind != kClientRequestKind) return;
  const std::string cmid = ascii_lower(trim(fact.get("cmid")));
  if (cmid.empty()) return;
  std::lock_guard lk(m_);
  state_->client_cmids.insert(text_.intern(cmid));
}

void HostRequestLedger::seal() {
  std::lock_guard lk(m_);
  State& s = *state_;
  std::vector<std::vector<std::pair<uint32_t, GroupAcc*>>> by_host(s.hosts.size());
  for (uint32_t c = 0; c < s.cmids.size(); ++c)
    for (GroupAcc& g : s.cmids[c].groups) {
      std::sort(g.dated.begin(), g.dated.end());
      g.dated.erase(std::unique(g.dated.begin(), g.dated.end()), g.dated.end());
      by_host[g.host].emplace_back(c, &g);
    }

  for (auto& [key, acc] : s.refusals) {
    const GroupAcc& g = s.group(acc.host, acc.cmid);
    uint64_t n = acc.undated;
    int64_t last = kNoTime;
    for (int64_t e : g.dated)
      if ((bits_of(e) & kFailing) && (bits_of(e) & (kLineMask | kTagMask)) == acc.tag) {
        ++n;
        last = time_of(e);
      }
    acc.refusal.fact.set("requests", std::to_string(n));
    acc.refusal.fact.set("last", format_time(last));
    refusals_.push_back(std::move(acc.refusal));
  }
  s.refusals.clear();

  const size_t line_count = s.lines.size();
  for (size_t h = 0; h < s.hosts.size(); ++h) {
    HostAcc& acc = s.hosts[h];
    LedgerHost& v = acc.view;
    for (Id client : acc.clients) v.clients.push_back(text_.view(client));
    std::sort(v.clients.begin(), v.clients.end());
    std::vector<HostLineCounts> lines(line_count);
    std::vector<std::vector<std::pair<int64_t, int>>> edges(line_count);
    const int64_t window_start = v.last_ms == kNoTime ? INT64_MAX : v.last_ms - kCountWindowMs;
    for (const auto& [c, g] : by_host[h]) {
      v.requests += g->dated.size() + g->undated;
      v.failures += g->undated_failures;
      const std::string_view cmid = text_.view(s.cmids[c].cmid);
      const bool counted = !cmid.empty();  // requests without a CMID count for the host, not towards its count
      int64_t last = kNoTime, last_unlicensed = kNoTime;
      // Per count line this CMID asked on (`used`): the stretch of overlapping 30-day windows being merged,
      // its last request, and its last one from a non-activated state.
      std::array<int64_t, kMaxCountLines> start, end, line_last, line_unlicensed;
      uint32_t used = 0;
      for (int64_t e : g->dated) {
        const int64_t t = time_of(e);
        const uint64_t b = bits_of(e);
        const size_t line = line_of(e);
        const uint32_t bit = uint32_t{1} << line;
        v.failures += (b & kFailing) != 0;
        ++lines[line].requests;
        last = t;
        if (b & kUnlicensed) last_unlicensed = t;
        if (!(used & bit)) {
          used |= bit;
          line_unlicensed[line] = kNoTime;
        } else if (t <= end[line]) {
          // This CMID counts for 30 days after each request: merge the overlapping stretches.
          end[line] = t + kCountWindowMs;
          line_last[line] = t;
          if (b & kUnlicensed) line_unlicensed[line] = t;
          continue;
        } else if (counted) {
          edges[line].insert(edges[line].end(), {{start[line], 0}, {end[line], 1}});
        }
        start[line] = t;
        end[line] = t + kCountWindowMs;
        line_last[line] = t;
        if (b & kUnlicensed) line_unlicensed[line] = t;
      }
      if (!counted) continue;
      for (uint32_t rest = used; rest != 0; rest &= rest - 1) {
        const int line = std::countr_zero(rest);
        edges[line].insert(edges[line].end(), {{start[line], 0}, {end[line], 1}});
        lines[line].current_30d += line_last[line] >= window_start;
        lines[line].retrying_30d += line_unlicensed[line] != kNoTime && line_unlicensed[line] >= window_start;
      }
      v.retrying_30d += last_unlicensed != kNoTime && last_unlicensed >= window_start;
      if (g->dated.size() + g->undated >= 2 && last != kNoTime && last < v.last_ms - kRenewalSlackMs)
        v.stale.push_back(cmid);
    }
    int64_t earliest = v.last_ms;
    for (const auto& line_edges : edges)
      for (const auto& [t, end] : line_edges)
        if (!end) earliest = std::min(earliest, t);
    if (v.last_ms != kNoTime) v.buckets = day_buckets(earliest, v.last_ms);
    for (size_t line = 0; line < line_count; ++line) {
      LineAcc seen = line < acc.lines.size() ? std::move(acc.lines[line]) : LineAcc{};
      HostLineCounts& counts = lines[line];
      counts.requests += seen.undated;
      if (counts.requests == 0) continue;  // none of this host's requests named the line
      counts.line = s.lines[line];
      counts.max_30d = max_overlap(edges[line], v.buckets, counts.by_bucket);
      counts.threshold = seen.threshold;
      counts.first_source = std::move(seen.first_source);
      counts.first_ms = seen.first_ms;
      v.lines.push_back(std::move(counts));
    }
    std::sort(v.lines.begin(), v.lines.end(),
              [](const HostLineCounts& a, const HostLineCounts& b) { return a.line < b.line; });
    std::sort(v.stale.begin(), v.stale.end());
    requests_ += v.requests;
    if (v.last_ms != kNoTime && (latest_ms_ == kNoTime || v.last_ms > latest_ms_)) latest_ms_ = v.last_ms;
    hosts_.push_back(std::move(v));
  }
  std::sort(hosts_.begin(), hosts_.end(), [](const LedgerHost& a, const LedgerHost& b) { return a.key < b.key; });

  // Each CMID's view, with the request times of all its groups (the ±10 minute join), a CMID at a time.
  cmids_.reserve(s.cmids.size());
  for (CmidAcc& acc : s.cmids) {
    LedgerCmid v;
    v.cmid = text_.view(acc.cmid);
    const bool keep_times = s.client_cmids.count(acc.cmid) > 0;
    for (GroupAcc& g : acc.groups) {
      v.requests += g.dated.size() + g.undated;
      if (v.cmid.empty() || g.dated.empty()) continue;
      widen(v.first, v.last, time_of(g.dated.front()));
      widen(v.first, v.last, time_of(g.dated.back()));
      if (!keep_times) continue;
      for (int64_t& e : g.dated) e = time_of(e);  // in place: no second array of times
      if (v.times.empty())
        v.times = std::move(g.dated);
      else
        v.times.insert(v.times.end(), g.dated.begin(), g.dated.end());
    }
    std::vector<GroupAcc>().swap(acc.groups);
    if (v.cmid.empty()) continue;
    std::sort(v.times.begin(), v.times.end());
    v.earliest_ms = acc.earliest_ms;
    v.earliest_path = text_.view(acc.earliest_path);
    v.earliest_unit = text_.view(acc.earliest_unit);
    v.earliest_record_id = text_.view(acc.earliest_record_id);
    v.earliest_position = acc.earliest_position;
    v.earliest_client = text_.view(acc.earliest_client);
    v.names.reserve(acc.names.size());
    for (const NameAcc& n : acc.names) v.names.push_back({text_.view(n.key), text_.view(n.display), n.first, n.last});
    std::sort(v.names.begin(), v.names.end(), [](const LedgerName& a, const LedgerName& b) { return a.key < b.key; });
    std::vector<NameAcc>().swap(acc.names);
    cmids_.push_back(std::move(v));
  }
  std::sort(cmids_.begin(), cmids_.end(), [](const LedgerCmid& a, const LedgerCmid& b) { return a.cmid < b.cmid; });
  state_.reset();
}

const HostLineCounts* LedgerHost::line(std::string_view id) const {
  const auto it = std::find_if(lines.begin(), lines.end(), [&](const HostLineCounts& l) { return l.line == id; });
  return it == lines.end() ? nullptr : &*it;
}

const LedgerCmid* HostRequestLedger::cmid(std::string_view cmid) const {
  const std::string key = ascii_lower(trim(cmid));
  const auto it = std::lower_bound(cmids_.begin(), cmids_.end(), std::string_view(key),
                                   [](const LedgerCmid& c, std::string_view k) { return c.cmid < k; });
  return it != cmids_.end() && it->cmid == key ? &*it : nullptr;
}

void HostRequestLedger::release() {
  std::vector<LedgerCmid>().swap(cmids_);
  std::vector<LedgerHost>().swap(hosts_);
  text_ = StringPool{};
}

std::vector<LedgerRefusal> HostRequestLedger::take_refusals() { return std::exchange(refusals_, {}); }

void HostRequestLedger::forget_times() {
  for (LedgerCmid& c : cmids_) std::vector<int64_t>().swap(c.times);
}

}  // namespace kmsdiag::correlation
