#include "cli/dns_command.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iostream>
#include <optional>
#include <sstream>

#include "probe/health_status.hpp"
#include "probe/live_check.hpp"
#include "report/atomic_file.hpp"
#include "report/renderer_registry.hpp"
#include "report/report.hpp"

namespace kmsdiag {
namespace {

constexpr int kMaxMs = 3'600'000;

std::optional<int> parse_ms(const std::string& text) {
  int v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0 || v > kMaxMs) return std::nullopt;
  return v;
}

// "IP", "IP:port", "[IPv6]:port" or a bare IPv6 address; what c-ares' server CSV accepts.
bool valid_server(const std::string& s) {
  in6_addr a6{};
  in_addr a4{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) return true;
  std::string host = s, port;
  if (s.starts_with("[")) {
    const auto close = s.find(']');
    if (close == std::string::npos) return false;
    host = s.substr(1, close - 1);
    if (close + 1 < s.size()) {
      if (s[close + 1] != ':') return false;
      port = s.substr(close + 2);
    }
    if (inet_pton(AF_INET6, host.c_str(), &a6) != 1) return false;
  } else {
    if (const auto colon = s.rfind(':'); colon != std::string::npos) {
      host = s.substr(0, colon);
      port = s.substr(colon + 1);
    }
    if (inet_pton(AF_INET, host.c_str(), &a4) != 1) return false;
  }
  if (s.find(':') != std::string::npos && !s.starts_with("[") && port.empty()) return false;
  if (!port.empty()) {
    int p = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p <= 0 || p > 65535) return false;
  }
  return true;
}

// A DNS domain a KMS host can publish in (RFC 1035 / 1123 host-name syntax; "_" too, as in service
// labels): at most 253 characters, labels of 1-63 letters, digits, "-" or "_" not starting or ending with
// "-", one final dot at most. Checked after normalize_domain ("_vlmcs._tcp." and the final dot dropped).
bool valid_domain(const std::string& given) {
  const std::string d = normalize_domain(given);
  if (d.empty() || d.size() > 253) return false;
  size_t start = 0;
  for (;;) {
    const size_t end = std::min(d.find('.', start), d.size());
    const std::string_view label(d.data() + start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
    if (end == d.size()) return true;
    start = end + 1;
  }
}

// Turns the option texts into LiveOptions, or names what is wrong.
std::optional<LiveOptions> to_options(const std::vector<std::string>& domains, const std::vector<std::string>& servers,
                                      const std::vector<std::string>& expect, const std::string& timeout,
                                      const std::string& deadline, std::string& error) {
  LiveOptions o;
  const auto t = parse_ms(timeout), d = parse_ms(deadline);
  if (!t) error = "--timeout-ms must be a whole number of milliseconds (1.." + std::to_string(kMaxMs) + "): " + timeout;
  if (!d)
    error = "--deadline-ms must be a whole number of milliseconds (1.." + std::to_string(kMaxMs) + "): " + deadline;
  for (const auto& s : servers)
    if (!valid_server(s)) error = "--server must be IP[:port] or [IPv6]:port: " + s;
  for (const auto& dom : domains)
    if (!valid_domain(dom)) error = "not a DNS domain name: " + dom;
  if (!error.empty()) return std::nullopt;
  o.domains = domains;
  o.servers = servers;
  o.expect_hosts = expect;
  o.timeout_ms = *t;
  o.deadline_ms = *d;
  return o;
}

}  // namespace

void LiveCommands::add_probe_options(CLI::App& cmd, Args& a) {
  cmd.add_option("--server", a.servers,
                 "DNS server IP[:port] to ask (repeatable; each is asked separately). "
                 "Default: the system resolvers");
  cmd.add_option("--expect-host", a.expect_hosts, "A host that should be published (repeatable); others are flagged");
  cmd.add_option("--timeout-ms", a.timeout_ms, "Per DNS try, TCP connect and RPC bind (default 1000)");
  cmd.add_option("--deadline-ms", a.deadline_ms, "The whole check ends within this time (default 10000)");
  cmd.add_option("--format", a.format, "Output format");
}

LiveCommands::LiveCommands(CLI::App& app, CLI::App& analyze) {
  dns_ = app.add_subcommand("dns", "Look up the KMS SRV records and probe every published host (live)");
  dns_->add_option("domains", dns_args_.domains, "DNS domains (default: the resolver search list)");
  add_probe_options(*dns_, dns_args_);
  dns_->get_option("--format")->check(CLI::IsMember(format_names(Document::live)));

  check_ = app.add_subcommand("check", "Health check for monitoring: KMS OK|WARNING|CRITICAL|UNKNOWN, exit 0-3");
  check_->add_option("domains", check_args_.domains, "DNS domains (default: the resolver search list)");
  add_probe_options(*check_, check_args_);
  check_->add_option("--prometheus", check_args_.prometheus, "Also write a Prometheus textfile (temp file + rename)");
  // Every argument problem must end as UNKNOWN (exit 3), not as a usage error, so check validates itself.
  check_->allow_extras();
  check_->fallthrough(false);  // and they stay check's: the program's own options would make them a usage error

  analyze.add_flag("--live", live_, "Add live DNS/KMS probe results to the analysis");
  analyze.add_option("--live-domain", analyze_args_.domains, "Domain for --live (repeatable; default: search list)");
  analyze.add_option("--server", analyze_args_.servers, "DNS server IP[:port] for --live (repeatable)");
}

bool LiveCommands::selected() const { return dns_->parsed() || check_->parsed(); }

bool LiveCommands::health_check() const { return check_->parsed(); }

int LiveCommands::run() const { return dns_->parsed() ? run_dns() : run_check(); }

int LiveCommands::run_dns() const {
  std::string error;
  const auto o = to_options(dns_args_.domains, dns_args_.servers, dns_args_.expect_hosts, dns_args_.timeout_ms,
                            dns_args_.deadline_ms, error);
  if (!o) {
    std::cerr << "kmsdiag dns: " << error << "\n";
    return kExitUsage;
  }
  LiveResult result;
  try {
    result = run_live_check(*o);
  } catch (const std::exception& e) {
    std::cerr << "kmsdiag dns: " << e.what() << "\n";
    return kExitConfig;
  }
  find_renderer(dns_args_.format, Document::live)->live(result, std::cout);
  return assess_health(result).state == Health::ok ? kExitOk : kExitFindings;
}

int LiveCommands::run_check() const {
  const Args& a = check_args_;
  std::string error;
  std::optional<LiveOptions> o;
  if (const auto extra = check_->remaining(); !extra.empty()) {
    error = "unknown argument " + extra.front();
  } else if (find_renderer(a.format, Document::health) == nullptr) {
    error = fmt::format("--format must be one of {}: {}", fmt::join(format_names(Document::health), ", "), a.format);
  } else {
    o = to_options(a.domains, a.servers, a.expect_hosts, a.timeout_ms, a.deadline_ms, error);
  }
  HealthReport report;
  LiveResult result;
  bool ran = false;
  if (o) {
    try {
      result = run_live_check(*o);
      report = assess_health(result);
      ran = true;
    } catch (const std::exception& e) {
      report = unknown_health(e.what());
    }
  } else {
    report = unknown_health(error);
  }
  const LiveResult* checked = ran ? &result : nullptr;
  // A format that cannot be used is an UNKNOWN status, said in the plugin's own line.
  const Renderer* format = find_renderer(a.format, Document::health);
  (format ? format : find_renderer("text", Document::health))->health(report, checked, std::cout);
  if (!a.prometheus.empty()) {
    std::ostringstream textfile;
    find_renderer("prometheus", Document::health)->health(report, checked, textfile);
    if (const std::string err = write_file_atomically(a.prometheus, textfile.str()); !err.empty()) {
      std::cerr << "kmsdiag check: " << err << "\n";
      if (report.state == Health::ok) return static_cast<int>(Health::unknown);
    }
  }
  return static_cast<int>(report.state);
}

void LiveCommands::attach(PipelineOptions& options) const {
  if (!live_) return;
  options.add_live_facts = [args = analyze_args_](std::vector<Record>& facts) {
    std::string error;
    const auto o = to_options(args.domains, args.servers, {}, args.timeout_ms, args.deadline_ms, error);
    if (!o) {
      std::cerr << "kmsdiag: --live: no live probe ran: " << error << "\n";
      return false;
    }
    try {
      const LiveResult result = run_live_check(*o);
      if (result.domains.empty()) {
        std::cerr << "kmsdiag: --live: no live probe ran: no domain to probe (give --live-domain; the resolver "
                     "has no search list)\n";
        return false;
      }
      for (auto& r : live_records(result, local_machine_name())) facts.push_back(std::move(r));
      return true;
    } catch (const std::exception& e) {
      std::cerr << "kmsdiag: --live: no live probe ran: " << e.what() << "\n";
      return false;
    }
  };
}

}  // namespace kmsdiag
