#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {
namespace {

struct HostActivity {
  std::string display;
  // What evidence about the host cites, with that record's own time: the host's first 12290 when its log
  // was supplied (never a client's file with the host's time), else the first client attempt naming it.
  std::optional<SourceRef> source;
  int64_t time_ms = kNoTime;
  std::set<std::string> clients;  // machine keys of its clients' attempts (the log's are in `log`)
  uint64_t attempts = 0, answered = 0, failures = 0;
  const Record* latest_answer = nullptr;
  std::optional<double> max_n_policy;
  std::map<std::string, uint64_t> line_failures;  // failed attempts by count line of their product
  const LedgerHost* log = nullptr;                // its own 12290s, when its log was supplied
};

void seen(HostActivity& h, std::string_view name, const SourceRef& source, int64_t time_ms,
          std::optional<double> n_policy) {
  if (h.display.empty()) h.display = std::string(trim(name));
  if (!h.source) {
    h.source = source;
    h.time_ms = time_ms;
  }
  if (n_policy && (!h.max_n_policy || *n_policy > *h.max_n_policy)) h.max_n_policy = n_policy;
}

std::string number_text(std::optional<double> n) { return n ? std::to_string(static_cast<int64_t>(*n)) : ""; }

}  // namespace

// The lines of a host's log in table order (lines the table does not know last, by id).
std::vector<LineView> line_views(const LedgerHost& log, const Knowledge& kb) {
  std::vector<LineView> out;
  for (const HostLineCounts& counts : log.lines) {
    const CountLine* table = kb.count_line(counts.line);
    LineView v{&counts, table, table ? table->name : counts.line.empty() ? "(no line)" : counts.line, std::nullopt};
    if (table) v.cap = static_cast<uint64_t>(table->cap);
    out.push_back(std::move(v));
  }
  std::stable_sort(out.begin(), out.end(), [](const LineView& a, const LineView& b) {
    return (a.table ? a.table->order : SIZE_MAX) < (b.table ? b.table->order : SIZE_MAX);
  });
  return out;
}

bool failed_attempt(const Record& a) { return a.get("activated") != "1" || is_error_code(a.get("hresult")); }

namespace {

// "Windows 50/25 (capped: 60 CMIDs)": the count at its busiest, the threshold, and the distinct CMIDs
// behind a capped count. No commas: it is one item of a list field.
std::string line_summary(const LineView& v) {
  const uint64_t distinct = v.counts->max_30d;
  std::string out = v.name + ' ' + std::to_string(v.count(distinct));
  if (v.counts->threshold) out += '/' + number_text(v.counts->threshold);
  if (v.count(distinct) < distinct) out += " (capped: " + std::to_string(distinct) + " CMIDs)";
  return out;
}

// The count fields of a host whose log was supplied; empty without one, or when none of its 12290s is dated.
void set_log_counts(Record& r, const LedgerHost* log, const std::vector<LineView>& lines) {
  const bool dated = log && log->last_ms != kNoTime;
  uint64_t most = 0, now = 0;
  std::string ids, summaries;
  for (const LineView& v : lines) {
    most = std::max(most, v.counts->max_30d);
    now = std::max(now, v.counts->current_30d);
    ids += (ids.empty() ? "" : ",") + v.counts->line;
    summaries += (summaries.empty() ? "" : ",") + line_summary(v);
  }
  r.set("distinct_cmids_30d", dated ? std::to_string(most) : "");
  r.set("current_cmids_30d", dated ? std::to_string(now) : "");
  r.set("count_lines", dated ? ids : "");
  r.set("line_counts", dated ? summaries : "");
  if (!log) return;
  std::string list;
  for (size_t i = 0; i < log->stale.size() && i < 20; ++i) list.append(list.empty() ? "" : ",").append(log->stale[i]);
  r.set("stale_cmids", std::to_string(log->stale.size()));
  r.set("stale_cmid_list", list);
  r.set("retrying_cmids_30d", std::to_string(log->retrying_30d));
}

// One kms.host-line per count line of a host's dated log.
Record line_record(const HostActivity& h, const LineView& v, const std::string& host_counts) {
  const HostLineCounts& c = *v.counts;
  Record r;
  r.kind = "kms.host-line";
  r.source = c.first_source;
  r.time_ms = c.first_ms;
  r.machine = h.display;
  r.set("host", h.display);
  r.set("line", c.line);
  r.set("line_name", v.name);
  r.set("count", std::to_string(v.count(c.max_30d)));
  r.set("distinct_cmids_30d", std::to_string(c.max_30d));
  r.set("current_count", std::to_string(v.count(c.current_30d)));
  r.set("current_cmids_30d", std::to_string(c.current_30d));
  r.set("cap", v.cap ? std::to_string(*v.cap) : "");
  r.set("threshold", number_text(c.threshold));
  r.set("requests", std::to_string(c.requests));
  r.set("retrying_cmids_30d", std::to_string(c.retrying_30d));
  const auto failed = h.line_failures.find(c.line);
  r.set("failures", std::to_string(failed == h.line_failures.end() ? 0 : failed->second));
  r.set("host_counts", host_counts);
  return r;
}

Record host_record(const HostActivity& h, const std::vector<LineView>& lines) {
  Record r;
  r.kind = "kms.host";
  r.source = *h.source;
  r.time_ms = h.time_ms;
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
  set_log_counts(r, h.log, lines);
  return r;
}

}  // namespace

std::vector<Record> summarise_hosts(const HostRequestLedger& ledger, const std::vector<Record>& attempts,
                                    const Knowledge& kb) {
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
    const bool failed = failed_attempt(a);
    h.failures += failed;
    if (failed) ++h.line_failures[std::string(trim(a.get("count_line")))];
    if (answered && !a.get("count").empty() && (!h.latest_answer || a.time_ms >= h.latest_answer->time_ms))
      h.latest_answer = &a;
  }
  for (const LedgerHost& log : ledger.hosts()) {
    HostActivity& h = hosts[log.key];
    h.display = log.display;  // the host's own spelling (its Computer name), not a client's
    h.source.reset();         // its own log, not the client file that named it first
    seen(h, log.display, log.first_source, log.first_ms, log.max_n_policy);
    h.log = &log;
  }

  std::vector<Record> out;
  std::string host_list;
  for (const auto& [key, h] : hosts) {
    const std::vector<LineView> lines = h.log ? line_views(*h.log, kb) : std::vector<LineView>{};
    const Record host = host_record(h, lines);
    const std::string host_counts(host.get("line_counts"));
    out.push_back(host);
    if (h.log && h.log->last_ms != kNoTime)
      for (const LineView& v : lines) out.push_back(line_record(h, v, host_counts));
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
