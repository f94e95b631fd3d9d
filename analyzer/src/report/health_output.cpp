#include "report/health_output.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace kmsdiag {

void render_nagios(const HealthReport& r, const LiveResult*, std::ostream& out) {
  std::string text;
  if (r.problems.empty()) {
    text = fmt::format("{} domain(s), {} SRV target(s), {} answer as KMS", r.domains, r.srv_targets, r.reachable);
  } else {
    text = fmt::format("{}", fmt::join(r.problems, "; "));
  }
  // '|' separates perfdata in the plugin protocol, so it must not appear in the text.
  for (auto& c : text)
    if (c == '|') c = '/';
  out << fmt::format("KMS {} - {} | domains={} srv_targets={} reachable={} time={:.3f}s\n", to_string(r.state), text,
                     r.domains, r.srv_targets, r.reachable, r.seconds);
}

void render_health_json(const HealthReport& r, const LiveResult* result, std::ostream& out) {
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

void render_prometheus(const HealthReport& r, const LiveResult* result, std::ostream& out) {
  out << "# HELP kmsdiag_check_status Health check status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n";
  out << "# TYPE kmsdiag_check_status gauge\n";
  out << fmt::format("kmsdiag_check_status {}\n", static_cast<int>(r.state));
  out << "# HELP kmsdiag_check_seconds Duration of the last health check.\n# TYPE kmsdiag_check_seconds gauge\n";
  out << fmt::format("kmsdiag_check_seconds {:.3f}\n", r.seconds);
  out << "# HELP kmsdiag_srv_targets SRV targets published per domain.\n# TYPE kmsdiag_srv_targets gauge\n";
  if (!result) return;
  auto label = [](std::string v) {
    std::string e;
    for (char c : v)
      e += (c == '"' || c == '\\') ? std::string("\\") + c : c == '\n' ? std::string("\\n") : std::string(1, c);
    return e;
  };
  for (const auto& s : result->summaries)
    out << fmt::format("kmsdiag_srv_targets{{domain=\"{}\"}} {}\n", label(s.domain), s.targets);
  out << "# HELP kmsdiag_kms_reachable SRV targets per domain where a KMS answered the RPC bind.\n# TYPE "
         "kmsdiag_kms_reachable gauge\n";
  for (const auto& s : result->summaries)
    out << fmt::format("kmsdiag_kms_reachable{{domain=\"{}\"}} {}\n", label(s.domain), s.reachable);
  out << "# HELP kmsdiag_srv_lookup_ok 1 when the server returned SRV records for the domain.\n# TYPE "
         "kmsdiag_srv_lookup_ok gauge\n";
  for (const auto& l : result->lookups)
    out << fmt::format("kmsdiag_srv_lookup_ok{{domain=\"{}\",server=\"{}\",status=\"{}\"}} {}\n", label(l.domain),
                       label(result->servers[l.server]), l.answer.status, l.answer.status == "records" ? 1 : 0);
}

}  // namespace kmsdiag
