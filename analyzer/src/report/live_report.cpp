#include "report/live_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace kmsdiag {

void render_live_text(const LiveResult& r, std::ostream& out) {
  for (const auto& s : r.summaries) {
    out << fmt::format("_vlmcs._tcp.{}\n", s.domain);
    for (const auto& l : r.lookups) {
      if (l.domain != s.domain) continue;
      out << fmt::format("  server {}: {}", r.servers[l.server], l.answer.status);
      if (l.answer.status == "records") out << fmt::format(", {} target(s)", l.answer.targets.size());
      if (!l.answer.detail.empty()) out << fmt::format(" ({})", l.answer.detail);
      out << fmt::format(" [{:.0f} ms]\n", l.elapsed_ms);
    }
    if (!s.agree)
      out << "  ! the DNS servers disagree (split-brain): clients see different answers depending on their server\n";
    bool header = false;
    for (const auto& t : r.targets) {
      if (t.domain != s.domain) continue;
      if (!header) out << "  targets in RFC 2782 order (priority ascending, then weight):\n";
      header = true;
      out << fmt::format("    {}. {}:{}  priority {} weight {}", t.rank, t.target.host, t.target.port,
                         t.target.priority, t.target.weight);
      if (t.resolved.status != "resolved") {
        out << fmt::format("  does not resolve ({}): stale record\n", t.resolved.status);
        continue;
      }
      out << fmt::format("  {}  tcp {}", fmt::join(t.resolved.addresses, ","), t.tcp);
      if (!t.rpc.empty()) out << fmt::format("  rpc {}", t.rpc);
      const std::string& detail = !t.rpc_detail.empty() ? t.rpc_detail : t.tcp_detail;
      if (!detail.empty()) out << fmt::format(" ({})", detail);
      out << fmt::format(" [{:.0f} ms]", t.elapsed_ms);
      if (t.expected == "0") out << "  UNEXPECTED HOST";
      out << "\n";
    }
    if (!s.rogue.empty()) out << fmt::format("  ! unexpected (rogue) hosts: {}\n", fmt::join(s.rogue, ", "));
    if (!s.missing.empty()) out << fmt::format("  ! expected hosts not published: {}\n", fmt::join(s.missing, ", "));
    out << fmt::format("  {} of {} target(s) answer as KMS\n", s.reachable, s.targets);
  }
  if (r.domains.empty()) out << "no domain to check: give one, or set a search list in /etc/resolv.conf\n";
  if (r.deadline_hit) out << "! the deadline was reached: results are incomplete\n";
  out << fmt::format("{} domain(s), {} server(s), {:.0f} ms\n", r.domains.size(), r.servers.size(), r.elapsed_ms);
}

void render_live_json(const LiveResult& r, std::ostream& out) {
  nlohmann::json j;
  j["servers"] = r.servers;
  j["expect_hosts"] = r.expect_hosts;
  j["deadline_hit"] = r.deadline_hit;
  j["elapsed_ms"] = r.elapsed_ms;
  j["domains"] = nlohmann::json::array();
  for (const auto& s : r.summaries) {
    nlohmann::json d;
    d["domain"] = s.domain;
    d["agree"] = s.agree;
    d["hosts"] = s.hosts;
    d["rogue_hosts"] = s.rogue;
    d["missing_hosts"] = s.missing;
    d["reachable"] = s.reachable;
    d["lookups"] = nlohmann::json::array();
    for (const auto& l : r.lookups) {
      if (l.domain != s.domain) continue;
      nlohmann::json targets = nlohmann::json::array();
      for (const auto& t : l.answer.targets)
        targets.push_back({{"priority", t.priority}, {"weight", t.weight}, {"port", t.port}, {"host", t.host}});
      d["lookups"].push_back({{"server", r.servers[l.server]},
                              {"status", l.answer.status},
                              {"detail", l.answer.detail},
                              {"elapsed_ms", l.elapsed_ms},
                              {"targets", targets}});
    }
    d["targets"] = nlohmann::json::array();
    for (const auto& t : r.targets) {
      if (t.domain != s.domain) continue;
      d["targets"].push_back({{"rank", t.rank},
                              {"host", t.target.host},
                              {"port", t.target.port},
                              {"priority", t.target.priority},
                              {"weight", t.target.weight},
                              {"servers", t.servers},
                              {"resolve", t.resolved.status},
                              {"addresses", t.resolved.addresses},
                              {"address", t.probed_address},
                              {"tcp", t.tcp},
                              {"rpc", t.rpc},
                              {"detail", t.rpc_detail.empty() ? t.tcp_detail : t.rpc_detail},
                              {"elapsed_ms", t.elapsed_ms},
                              {"expected", t.expected}});
    }
    j["domains"].push_back(std::move(d));
  }
  out << j.dump(2) << "\n";
}

}  // namespace kmsdiag
