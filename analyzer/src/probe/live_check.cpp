#include "probe/live_check.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

namespace kmsdiag {
namespace {

constexpr int kTypeSrv = 33;
constexpr std::string_view kSrvPrefix = "_vlmcs._tcp.";

std::string join(const std::vector<std::string>& items, std::string_view sep = ",") {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

std::string ms_text(double ms) { return std::to_string(static_cast<int64_t>(ms + 0.5)); }

// How good a TCP outcome is, for picking the best of a target's addresses.
int tcp_rank(const std::string& state) {
  static const std::vector<std::string> order{"open", "refused", "timeout", "unreachable"};
  const auto it = std::find(order.begin(), order.end(), state);
  return static_cast<int>(it - order.begin());
}

struct ProbeOutcome {
  TcpResult tcp;
  RpcResult rpc;
};

// Connects to every (address, port) once, `workers` at a time; each probe has its own timeout but never
// outlives the overall deadline.
std::map<std::pair<std::string, int>, ProbeOutcome> probe_all(const std::set<std::pair<std::string, int>>& jobs,
                                                              const LiveOptions& o, Clock::time_point deadline) {
  std::vector<std::pair<std::string, int>> list(jobs.begin(), jobs.end());
  std::vector<ProbeOutcome> results(list.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < list.size(); i = next++) {
      const auto own = std::min(deadline, Clock::now() + std::chrono::milliseconds(o.timeout_ms));
      results[i].tcp = tcp_connect(list[i].first, list[i].second, own);
      if (results[i].tcp.state != "open") continue;
      const auto rpc_deadline = std::min(deadline, Clock::now() + std::chrono::milliseconds(o.timeout_ms));
      results[i].rpc = rpc_bind_kms(results[i].tcp.socket, rpc_deadline);
      results[i].tcp.socket = Socket();  // close now: thousands of targets must not exhaust descriptors
    }
  };
  {
    std::vector<std::jthread> pool;
    const size_t n = std::min(std::max<size_t>(o.probe_workers, 1), std::max<size_t>(list.size(), 1));
    for (size_t i = 0; i < n; ++i) pool.emplace_back(worker);
  }
  std::map<std::pair<std::string, int>, ProbeOutcome> out;
  for (size_t i = 0; i < list.size(); ++i) out.emplace(list[i], std::move(results[i]));
  return out;
}

std::string target_key(const SrvTarget& t) { return t.host + ":" + std::to_string(t.port); }

void summarize(LiveResult& r) {
  std::set<std::string> expected;
  for (const auto& e : r.expect_hosts) expected.insert(e);
  for (const auto& domain : r.domains) {
    DomainSummary s;
    s.domain = domain;
    std::string first;
    bool have_first = false;
    for (const auto& l : r.lookups) {
      if (l.domain != domain) continue;
      std::vector<std::string> keys;
      for (const auto& t : l.answer.targets) keys.push_back(target_key(t));
      std::sort(keys.begin(), keys.end());
      const std::string signature = l.answer.status + " " + join(keys);
      if (!have_first) {
        first = signature;
        have_first = true;
      } else if (signature != first) {
        s.agree = false;
      }
    }
    std::set<std::string> hosts;
    for (const auto& t : r.targets) {
      if (t.domain != domain) continue;
      ++s.targets;
      if (t.rpc == "kms") ++s.reachable;
      hosts.insert(t.target.host);
    }
    s.hosts.assign(hosts.begin(), hosts.end());
    if (!expected.empty()) {
      for (const auto& h : hosts)
        if (!expected.count(h)) s.rogue.push_back(h);
      for (const auto& e : expected)
        if (!hosts.count(e)) s.missing.push_back(e);
    }
    r.summaries.push_back(std::move(s));
  }
}

}  // namespace

std::string normalize_domain(std::string_view text) {
  std::string d = ascii_lower(trim(text));
  while (!d.empty() && d.back() == '.') d.pop_back();
  if (d.starts_with(kSrvPrefix)) d.erase(0, kSrvPrefix.size());
  return d;
}

ResolvConf read_resolv_conf(const std::string& path) {
  std::ifstream in(path);
  ResolvConf out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "nameserver") {
      std::string addr;
      words >> addr;
      if (addr.empty()) continue;
      out.nameservers.push_back(addr.find(':') == std::string::npos ? addr + ":53" : "[" + addr + "]:53");
      continue;
    }
    if (key != "search" && key != "domain") continue;
    out.search.clear();
    for (std::string d; words >> d;) {
      if (d.starts_with("#") || d.starts_with(";")) break;
      if (const std::string n = normalize_domain(d); !n.empty()) out.search.push_back(n);
    }
  }
  return out;
}

std::string local_machine_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

LiveResult run_live_check(const LiveOptions& o) {
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::milliseconds(o.deadline_ms);
  LiveResult r;
  const ResolvConf system = read_resolv_conf(o.resolv_conf);
  for (const auto& d : o.domains.empty() ? system.search : o.domains) {
    const std::string n = normalize_domain(d);
    if (!n.empty() && std::find(r.domains.begin(), r.domains.end(), n) == r.domains.end()) r.domains.push_back(n);
  }
  for (const auto& e : o.expect_hosts) r.expect_hosts.push_back(normalize_domain(e));

  ResolverOptions ro;
  ro.timeout_ms = o.timeout_ms;
  ro.max_inflight = o.max_inflight;
  ro.deadline = deadline;
  SrvResolver resolver(o.servers.empty() ? system.nameservers : o.servers, ro);
  r.servers = resolver.server_names();

  // Targets per (domain, host) with the first server's address answer; filled by callbacks in run().
  struct Published {
    TargetProbe probe;
    bool resolving = false;
  };
  std::map<std::pair<std::string, std::string>, Published> published;  // (domain, host:port)
  r.lookups.resize(r.domains.size() * r.servers.size());
  for (size_t d = 0; d < r.domains.size(); ++d) {
    for (size_t s = 0; s < r.servers.size(); ++s) {
      DomainLookup* slot = &r.lookups[d * r.servers.size() + s];
      slot->domain = r.domains[d];
      slot->server = s;
      resolver.query(s, std::string(kSrvPrefix) + r.domains[d], kTypeSrv, [&, s, slot](const DnsReply& reply) {
        slot->answer = classify_srv(reply);
        slot->elapsed_ms = reply.elapsed_ms;
        for (const auto& t : slot->answer.targets) {
          Published& p = published[{slot->domain, target_key(t)}];
          p.probe.servers.push_back(r.servers[s]);
          if (p.resolving) continue;
          p.resolving = true;
          p.probe.domain = slot->domain;
          p.probe.target = t;
          resolve_target(resolver, s, t.host, [&p](const TargetAddresses& a) { p.probe.resolved = a; });
        }
      });
    }
  }
  resolver.run();
  r.deadline_hit = resolver.deadline_hit();

  std::set<std::pair<std::string, int>> jobs;
  for (const auto& [key, p] : published)
    for (const auto& a : p.probe.resolved.addresses) jobs.emplace(a, p.probe.target.port);
  auto outcomes = probe_all(jobs, o, deadline);

  for (auto& [key, p] : published) {
    TargetProbe t = std::move(p.probe);
    for (const auto& a : t.resolved.addresses) {
      const ProbeOutcome& po = outcomes.at({a, t.target.port});
      const bool better = t.tcp.empty() || tcp_rank(po.tcp.state) < tcp_rank(t.tcp) ||
                          (po.tcp.state == "open" && t.rpc != "kms" && po.rpc.state == "kms");
      if (!better) continue;
      t.tcp = po.tcp.state;
      t.tcp_detail = po.tcp.detail;
      t.rpc = po.rpc.state;
      t.rpc_detail = po.rpc.detail;
      t.probed_address = a;
      t.elapsed_ms = po.tcp.elapsed_ms + po.rpc.elapsed_ms;
    }
    if (!r.expect_hosts.empty())
      t.expected = std::count(r.expect_hosts.begin(), r.expect_hosts.end(), t.target.host) ? "1" : "0";
    r.targets.push_back(std::move(t));
  }
  if (Clock::now() >= deadline) r.deadline_hit = true;
  // Domains in the order given, targets in RFC 2782 order within each.
  std::stable_sort(r.targets.begin(), r.targets.end(), [&](const TargetProbe& a, const TargetProbe& b) {
    const auto da = std::find(r.domains.begin(), r.domains.end(), a.domain);
    const auto db = std::find(r.domains.begin(), r.domains.end(), b.domain);
    if (da != db) return da < db;
    return rfc2782_before(a.target, b.target);
  });
  std::map<std::string, int> rank;
  for (auto& t : r.targets) t.rank = ++rank[t.domain];
  summarize(r);
  r.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return r;
}

std::vector<Record> live_records(const LiveResult& r, const std::string& machine) {
  std::vector<Record> out;
  uint64_t n = 0;
  auto base = [&](std::string kind, std::string unit) {
    Record rec;
    rec.kind = std::move(kind);
    rec.source = SourceRef{"live", std::move(unit), ++n, ""};
    rec.machine = machine;
    rec.set("source", "live");
    return rec;
  };
  for (const auto& l : r.lookups) {
    Record rec = base("dns.srv-lookup", "query");
    rec.set("query", std::string(kSrvPrefix) + l.domain);
    rec.set("domain", l.domain);
    rec.set("server", r.servers[l.server]);
    rec.set("status", l.answer.status);
    rec.set("detail", l.answer.detail);
    rec.set("targets", format_targets(l.answer.targets));
    rec.set("count", std::to_string(l.answer.targets.size()));
    rec.set("tool", "kmsdiag");
    rec.set("elapsed_ms", ms_text(l.elapsed_ms));
    out.push_back(std::move(rec));
  }
  for (const auto& t : r.targets) {
    Record rec = base("probe.target", "target");
    rec.set("domain", t.domain);
    rec.set("server", join(t.servers));
    rec.set("host", t.target.host);
    rec.set("port", std::to_string(t.target.port));
    rec.set("priority", std::to_string(t.target.priority));
    rec.set("weight", std::to_string(t.target.weight));
    rec.set("rank", std::to_string(t.rank));
    rec.set("addresses", join(t.resolved.addresses));
    rec.set("resolve", t.resolved.status);
    rec.set("address", t.probed_address);
    rec.set("tcp", t.tcp);
    rec.set("rpc", t.rpc);
    std::string detail = t.resolved.status == "resolved" ? "" : t.resolved.detail;
    for (const auto* d : {&t.tcp_detail, &t.rpc_detail})
      if (!d->empty()) detail += (detail.empty() ? "" : "; ") + *d;
    rec.set("detail", detail);
    rec.set("elapsed_ms", ms_text(t.elapsed_ms));
    rec.set("expected", t.expected);
    out.push_back(std::move(rec));
  }
  for (const auto& s : r.summaries) {
    Record rec = base("dns.srv-domain", "domain");
    std::vector<std::string> statuses;
    for (const auto& l : r.lookups)
      if (l.domain == s.domain) statuses.push_back(r.servers[l.server] + "=" + l.answer.status);
    rec.set("domain", s.domain);
    rec.set("servers", std::to_string(r.servers.size()));
    rec.set("statuses", join(statuses));
    rec.set("agree", s.agree ? "1" : "0");
    rec.set("hosts", join(s.hosts));
    rec.set("host_count", std::to_string(s.hosts.size()));
    rec.set("targets", std::to_string(s.targets));
    rec.set("reachable", std::to_string(s.reachable));
    rec.set("expected_hosts", join(r.expect_hosts));
    rec.set("rogue_hosts", join(s.rogue));
    rec.set("rogue_count", std::to_string(s.rogue.size()));
    rec.set("missing_hosts", join(s.missing));
    rec.set("missing_count", std::to_string(s.missing.size()));
    out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace kmsdiag
