#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {
namespace {

// One client of a host, as the host's own 12290s show it.
struct ClientTrace {
  uint64_t requests = 0;
  int64_t last_ms = kNoTime;
  int64_t last_unlicensed_ms = kNoTime;  // latest request asking from a non-activated state
};

struct HostActivity {
  std::string display;
  const Record* first_source = nullptr;
  int64_t last_ms = kNoTime;
  std::set<std::string> clients;  // machine keys
  uint64_t attempts = 0, answered = 0, failures = 0, host_requests = 0, host_failures = 0;
  const Record* latest_answer = nullptr;
  std::optional<double> max_n_policy;
  std::optional<uint64_t> distinct_cmids_30d;  // only for hosts whose own log was supplied
  std::map<std::string, ClientTrace> cmids;    // by lower-case CMID, from its own 12290s
  int64_t last_request_ms = kNoTime;
};

constexpr int64_t kRenewalSlackMs = 8 * kDayMs;  // renewals come every 7 days

// Clients that renewed (2+ requests) and then went silent for more than a renewal interval before the
// host's newest request: retired, reimaged, moved elsewhere, or stuck.
std::vector<std::string> stale_cmids(const HostActivity& h) {
  std::vector<std::string> out;
  if (h.last_request_ms == kNoTime) return out;
  for (const auto& [cmid, c] : h.cmids)
    if (c.requests >= 2 && c.last_ms != kNoTime && c.last_ms < h.last_request_ms - kRenewalSlackMs) out.push_back(cmid);
  return out;
}

// Clients that asked from a non-activated state within the 30 days up to the host's newest request.
uint64_t retrying_cmids(const HostActivity& h) {
  if (h.last_request_ms == kNoTime) return 0;
  uint64_t n = 0;
  for (const auto& [cmid, c] : h.cmids)
    n += c.last_unlicensed_ms != kNoTime && c.last_unlicensed_ms >= h.last_request_ms - kCountWindowMs;
  return n;
}

void seen(HostActivity& h, std::string_view name, const Record& r) {
  if (h.display.empty()) h.display = std::string(trim(name));
  if (!h.first_source) h.first_source = &r;
  if (r.time_ms != kNoTime && (h.last_ms == kNoTime || r.time_ms > h.last_ms)) h.last_ms = r.time_ms;
  if (const auto n = to_number(r.get("n_policy")); n && (!h.max_n_policy || *n > *h.max_n_policy)) h.max_n_policy = n;
}

std::string number_text(std::optional<double> n) { return n ? std::to_string(static_cast<int64_t>(*n)) : ""; }

Record host_record(const HostActivity& h) {
  Record r;
  r.kind = "kms.host";
  r.source = h.first_source->source;
  r.time_ms = h.last_ms;
  r.machine = h.display;
  r.set("host", h.display);
  r.set("clients", std::to_string(h.clients.size()));
  r.set("attempts", std::to_string(h.attempts));
  r.set("answered", std::to_string(h.answered));
  r.set("failures", std::to_string(h.failures));
  r.set("last_count", h.latest_answer ? std::string(h.latest_answer->get("count")) : "");
  r.set("max_n_policy", number_text(h.max_n_policy));
  r.set("host_log", flag(h.host_requests > 0));
  r.set("host_requests", std::to_string(h.host_requests));
  r.set("host_failures", std::to_string(h.host_failures));
  r.set("distinct_cmids_30d", h.distinct_cmids_30d ? std::to_string(*h.distinct_cmids_30d) : "");
  if (h.host_requests > 0) {
    const std::vector<std::string> stale = stale_cmids(h);
    std::string list;
    for (size_t i = 0; i < stale.size() && i < 20; ++i) list += (list.empty() ? "" : ",") + stale[i];
    r.set("stale_cmids", std::to_string(stale.size()));
    r.set("stale_cmid_list", list);
    r.set("retrying_cmids_30d", std::to_string(retrying_cmids(h)));
  }
  return r;
}

}  // namespace

std::vector<Record> summarise_hosts(const std::vector<Record>& facts, const std::vector<Record>& attempts) {
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
    seen(h, name, a);
    h.clients.insert(machine_key(a.machine));
    ++h.attempts;
    const bool answered = a.get("answered") == "1";
    h.answered += answered;
    h.failures += !answered || a.get("activated") != "1" || is_error_code(a.get("hresult"));
    if (answered && !a.get("count").empty() && (!h.latest_answer || a.time_ms >= h.latest_answer->time_ms))
      h.latest_answer = &a;
  }
  for (const auto& f : facts) {
    if (f.kind != "kms.host-request") continue;
    HostActivity& h = hosts[machine_key(f.machine)];
    seen(h, f.machine, f);
    if (!trim(f.get("client")).empty()) h.clients.insert(machine_key(f.get("client")));
    ++h.host_requests;
    h.host_failures += is_error_code(f.get("hresult"));
    if (f.time_ms != kNoTime && (h.last_request_ms == kNoTime || f.time_ms > h.last_request_ms))
      h.last_request_ms = f.time_ms;
    if (const std::string cmid = ascii_lower(trim(f.get("cmid"))); !cmid.empty()) {
      ClientTrace& c = h.cmids[cmid];
      ++c.requests;
      if (f.time_ms != kNoTime && (c.last_ms == kNoTime || f.time_ms > c.last_ms)) c.last_ms = f.time_ms;
      const auto status = trim(f.get("license_status"));
      if (!status.empty() && status != "1" && f.time_ms != kNoTime &&
          (c.last_unlicensed_ms == kNoTime || f.time_ms > c.last_unlicensed_ms))
        c.last_unlicensed_ms = f.time_ms;
    }
    if (const auto estimate = to_number(f.get("host_count_estimate")))
      h.distinct_cmids_30d = std::max<uint64_t>(h.distinct_cmids_30d.value_or(0), static_cast<uint64_t>(*estimate));
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
