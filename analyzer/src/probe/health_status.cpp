#include "probe/health_status.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

namespace kmsdiag {

std::string_view to_string(Health h) {
  switch (h) {
    case Health::ok:
      return "OK";
    case Health::warning:
      return "WARNING";
    case Health::critical:
      return "CRITICAL";
    case Health::unknown:
      break;
  }
  return "UNKNOWN";
}

namespace {

struct Issue {
  Health level;
  std::string text;
};

void raise(std::vector<Issue>& issues, Health h, std::string text) { issues.push_back(Issue{h, std::move(text)}); }

std::string target_problem(const TargetProbe& t) {
  const std::string where = fmt::format("{}: {}:{}", t.domain, t.target.host, t.target.port);
  if (t.resolved.status != "resolved")
    return fmt::format("{} does not resolve ({}), stale SRV record", where, t.resolved.status);
  if (t.tcp != "open") return fmt::format("{} TCP {} ({})", where, t.tcp, t.probed_address);
  if (t.rpc != "kms") return fmt::format("{} answers but not as KMS ({}: {})", where, t.rpc, t.rpc_detail);
  return "";
}

}  // namespace

HealthReport unknown_health(const std::string& why) {
  HealthReport r;
  r.state = Health::unknown;
  r.problems.push_back(why);
  return r;
}

HealthReport assess_health(const LiveResult& result) {
  HealthReport r;
  r.state = Health::ok;
  r.domains = static_cast<int>(result.domains.size());
  r.srv_targets = static_cast<int>(result.targets.size());
  r.seconds = result.elapsed_ms / 1000.0;
  for (const auto& t : result.targets) r.reachable += t.rpc == "kms";
  std::vector<Issue> issues;
  if (result.domains.empty())
    raise(issues, Health::unknown, "no domain to check (none given, no resolver search list)");
  if (result.deadline_hit) raise(issues, Health::unknown, "deadline reached before the check finished");
  for (const auto& s : result.summaries) {
    if (s.reachable == 0) {
      std::vector<std::string> why;
      for (const auto& l : result.lookups)
        if (l.domain == s.domain && l.answer.status != "records")
          why.push_back(fmt::format("{} from {}", l.answer.status, result.servers[l.server]));
      raise(issues, Health::critical,
            fmt::format("{}: no reachable KMS host{}", s.domain,
                        why.empty() ? "" : " (" + fmt::format("{}", fmt::join(why, ", ")) + ")"));
    }
    if (!s.agree) raise(issues, Health::warning, fmt::format("{}: DNS servers disagree", s.domain));
    if (!s.rogue.empty())
      raise(issues, Health::warning, fmt::format("{}: unexpected KMS hosts {}", s.domain, fmt::join(s.rogue, ",")));
    if (!s.missing.empty())
      raise(issues, Health::warning,
            fmt::format("{}: expected hosts not published {}", s.domain, fmt::join(s.missing, ",")));
  }
  for (const auto& l : result.lookups)
    if (l.answer.status != "records")
      raise(issues, Health::warning,
            fmt::format("{}: {} from {}", l.domain, l.answer.status, result.servers[l.server]));
  for (const auto& t : result.targets)
    if (std::string p = target_problem(t); !p.empty()) raise(issues, Health::warning, p);
  // Worst first; within a level, in the order found.
  std::stable_sort(issues.begin(), issues.end(), [](const Issue& a, const Issue& b) {
    return static_cast<int>(a.level) > static_cast<int>(b.level);
  });
  for (auto& i : issues) {
    if (static_cast<int>(i.level) > static_cast<int>(r.state)) r.state = i.level;
    r.problems.push_back(std::move(i.text));
  }
  return r;
}

std::string nagios_line(const HealthReport& r) {
  std::string text;
  if (r.problems.empty()) {
    text = fmt::format("{} domain(s), {} SRV target(s), {} answer as KMS", r.domains, r.srv_targets, r.reachable);
  } else {
    text = fmt::format("{}", fmt::join(r.problems, "; "));
  }
  // '|' separates perfdata in the plugin protocol, so it must not appear in the text.
  for (auto& c : text)
    if (c == '|') c = '/';
  return fmt::format("KMS {} - {} | domains={} srv_targets={} reachable={} time={:.3f}s", to_string(r.state), text,
                     r.domains, r.srv_targets, r.reachable, r.seconds);
}

void write_health_json(const HealthReport& r, const LiveResult* result, std::ostream& out) {
  nlohmann::json j;
  j["status"] = std::string(to_string(r.state));
  j["exit_code"] = static_cast<int>(r.state);
  j["problems"] = r.problems;
  j["domains"] = r.domains;
  j["srv_targets"] = r.srv_targets;
  j["reachable"] = r.reachable;
  j["seconds"] = r.seconds;
  if (result) {
    j["servers"] = result->servers;
    j["deadline_hit"] = result->deadline_hit;
  }
  out << j.dump(2) << "\n";
}

std::string prometheus_text(const HealthReport& r, const LiveResult* result) {
  std::string out;
  out += "# HELP kmsdiag_check_status Health check status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n";
  out += "# TYPE kmsdiag_check_status gauge\n";
  out += fmt::format("kmsdiag_check_status {}\n", static_cast<int>(r.state));
  out += "# HELP kmsdiag_check_seconds Duration of the last health check.\n# TYPE kmsdiag_check_seconds gauge\n";
  out += fmt::format("kmsdiag_check_seconds {:.3f}\n", r.seconds);
  out += "# HELP kmsdiag_srv_targets SRV targets published per domain.\n# TYPE kmsdiag_srv_targets gauge\n";
  if (!result) return out;
  auto label = [](std::string v) {
    std::string e;
    for (char c : v)
      e += (c == '"' || c == '\\') ? std::string("\\") + c : c == '\n' ? std::string("\\n") : std::string(1, c);
    return e;
  };
  for (const auto& s : result->summaries)
    out += fmt::format("kmsdiag_srv_targets{{domain=\"{}\"}} {}\n", label(s.domain), s.targets);
  out +=
      "# HELP kmsdiag_kms_reachable SRV targets per domain where a KMS answered the RPC bind.\n# TYPE "
      "kmsdiag_kms_reachable gauge\n";
  for (const auto& s : result->summaries)
    out += fmt::format("kmsdiag_kms_reachable{{domain=\"{}\"}} {}\n", label(s.domain), s.reachable);
  out +=
      "# HELP kmsdiag_srv_lookup_ok 1 when the server returned SRV records for the domain.\n# TYPE "
      "kmsdiag_srv_lookup_ok gauge\n";
  for (const auto& l : result->lookups)
    out += fmt::format("kmsdiag_srv_lookup_ok{{domain=\"{}\",server=\"{}\",status=\"{}\"}} {}\n", label(l.domain),
                       label(result->servers[l.server]), l.answer.status, l.answer.status == "records" ? 1 : 0);
  return out;
}

std::string write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return tmp + ": " + std::strerror(errno);
    f << text;
    f.flush();
    if (!f) {
      std::remove(tmp.c_str());
      return tmp + ": write failed";
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string err = std::strerror(errno);
    std::remove(tmp.c_str());
    return path + ": " + err;
  }
  return "";
}

}  // namespace kmsdiag
