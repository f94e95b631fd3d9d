#include "probe/health_status.hpp"

#include <fmt/format.h>

#include <algorithm>

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

}  // namespace kmsdiag
