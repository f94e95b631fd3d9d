#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {
namespace {

struct HostActivity {
  std::string display;
  std::optional<SourceRef> first_source;
  int64_t last_ms = kNoTime;
  std::set<std::string> clients;  // machine keys of its clients' attempts (the log's are in `log`)
  uint64_t attempts = 0, answered = 0, failures = 0;
  const Record* latest_answer = nullptr;
  std::optional<double> max_n_policy;
  const LedgerHost* log = nullptr;  // its own 12290s, when its log was supplied
};

void seen(HostActivity& h, std::string_view name, const SourceRef& source, int64_t time_ms,
          std::optional<double> n_policy) {
  if (h.display.empty()) h.display = std::string(trim(name));
  if (!h.first_source) h.first_source = source;
  if (time_ms != kNoTime && (h.last_ms == kNoTime || time_ms > h.last_ms)) h.last_ms = time_ms;
  if (n_policy && (!h.max_n_policy || *n_policy > *h.max_n_policy)) h.max_n_policy = n_policy;
}

std::string number_text(std::optional<double> n) { return n ? std::to_string(static_cast<int64_t>(*n)) : ""; }

// The count fields of a host whose log was supplied; empty without one, or when none of its 12290s is dated.
void set_log_counts(Record& r, const LedgerHost* log) {
  const bool dated = log && log->last_ms != kNoTime;
  const auto count = [&](uint64_t n) { return dated ? std::to_string(n) : std::string(); };
  const auto& lines = dated ? log->lines : std::array<HostLineCounts, kCountLines>{};
  r.set("distinct_cmids_30d", count(std::max(lines[kWindowsLine].max_30d, lines[kOfficeLine].max_30d)));
  r.set("distinct_cmids_30d_windows", count(lines[kWindowsLine].max_30d));
  r.set("distinct_cmids_30d_office", count(lines[kOfficeLine].max_30d));
  r.set("current_cmids_30d", count(std::max(lines[kWindowsLine].current_30d, lines[kOfficeLine].current_30d)));
  r.set("current_cmids_30d_windows", count(lines[kWindowsLine].current_30d));
  r.set("current_cmids_30d_office", count(lines[kOfficeLine].current_30d));
  if (!log) return;
  std::string list;
  for (size_t i = 0; i < log->stale.size() && i < 20; ++i) list.append(list.empty() ? "" : ",").append(log->stale[i]);
  r.set("stale_cmids", std::to_string(log->stale.size()));
  r.set("stale_cmid_list", list);
  r.set("retrying_cmids_30d", std::to_string(log->retrying_30d));
}

Record host_record(const HostActivity& h) {
  Record r;
  r.kind = "kms.host";
  r.source = *h.first_source;
  r.time_ms = h.last_ms;
  r.machine = h.display;
  r.set("host", h.display);
  // The log's clients (thousands, sorted) and the attempts' (a few) counted once each, without a copy.
  size_t clients = h.log ? h.log->clients.size() : 0;
  for (const std::string& key : h.clients)
    clients += !h.log || !std::binary_search(h.log->clients.begin(), h.log->clients.end(), std::string_view(key));
  r.set("clients", std::to_string(clients));
  r.set("attempts", std::to_string(h.attempts));
  r.set("answered", std::to_string(h.answered));
  r.set("failures", std::to_string(h.failures));
  r.set("last_count", h.latest_answer ? std::string(h.latest_answer->get("count")) : "");
  r.set("max_n_policy", number_text(h.max_n_policy));
  r.set("host_log", flag(h.log != nullptr));
  r.set("host_requests", std::to_string(h.log ? h.log->requests : 0));
  r.set("host_failures", std::to_string(h.log ? h.log->failures : 0));
  set_log_counts(r, h.log);
  return r;
}

}  // namespace

std::vector<Record> summarise_hosts(const HostRequestLedger& ledger, const std::vector<Record>& attempts) {
  std::map<std::string, HostActivity> hosts;  // by machine_key of the host name
  std::set<std::string> used_by_clients;
  uint64_t below_threshold = 0;
  const Record* first_attempt = attempts.empty() ? nullptr : &attempts.front();

  for (const auto& a : attempts) {
    below_threshold += a.get("below_threshold") == "1";
    const std::string_view name = a.get("kms_host_name");
    if (trim(name).empty()) continue;
    const std::string key = machine_key(name);
    used_by_clients.insert(key);
    HostActivity& h = hosts[key];
    seen(h, name, a.source, a.time_ms, to_number(a.get("n_policy")));
    h.clients.insert(machine_key(a.machine));
    ++h.attempts;
    const bool answered = a.get("answered") == "1";
    h.answered += answered;
    h.failures += !answered || a.get("activated") != "1" || is_error_code(a.get("hresult"));
    if (answered && !a.get("count").empty() && (!h.latest_answer || a.time_ms >= h.latest_answer->time_ms))
      h.latest_answer = &a;
  }
  for (const LedgerHost& log : ledger.hosts()) {
    HostActivity& h = hosts[log.key];
    seen(h, log.display, log.first_source, log.last_ms, log.max_n_policy);
    h.log = &log;
  }

  std::vector<Record> out;
  std::string host_list;
  for (const auto& [key, h] : hosts) {
    out.push_back(host_record(h));
    if (used_by_clients.count(key)) host_list += (host_list.empty() ? "" : ",") + h.display;
  }
  Record all;
  all.kind = "kms.hosts";
  if (first_attempt) all.source = first_attempt->source;
  all.set("hosts", std::to_string(used_by_clients.size()));
  all.set("host_list", host_list);
  all.set("below_threshold_attempts", std::to_string(below_threshold));
  out.push_back(std::move(all));
  return out;
}

}  // namespace kmsdiag::correlation
