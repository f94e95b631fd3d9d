#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <tuple>

#include "correlate/correlation_steps.hpp"
#include "correlate/host_sightings.hpp"
#include "model/field_slab.hpp"
#include "model/huge_pages.hpp"

namespace kmsdiag::correlation {
namespace {

struct Pair {
  size_t request;
  std::optional<size_t> response;
};

// A 12289 answers the 12288 right before it in the same client log, unless another 12288 came in
// between (then the earlier request went unanswered) or it came more than 5 minutes later.
bool within_pair_window(const Record& request, const Record& response) {
  if (request.time_ms == kNoTime || response.time_ms == kNoTime)
    return request.time_ms == response.time_ms;  // both undated: adjacency in the log is all we have
  const int64_t gap = response.time_ms - request.time_ms;
  return gap >= 0 && gap <= kPairWindowMs;
}

std::vector<Pair> pair_requests(const std::vector<Record>& facts) {
  // Same input file and same machine: one client's own log, in log order.
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> logs;
  const Record* previous = nullptr;  // a client log's facts come one after another: one lookup for a run
  std::vector<size_t>* log = nullptr;
  for (size_t i = 0; i < facts.size(); ++i) {
    const auto& f = facts[i];
    if (f.kind != kClientRequestKind && f.kind != kClientResponseKind) continue;
    if (!previous || f.source.path != previous->source.path || f.machine != previous->machine)
      log = &logs[{f.source.path.str(), machine_key(f.machine)}];
    log->push_back(i);
    previous = &f;
  }
  std::vector<Pair> pairs;
  for (auto& [key, members] : logs) {
    // Exports in whole seconds (Event Viewer CSV, pasted text) give a request and its answer the same
    // time, and newest-first files list the answer first: at one dated instant the request goes first.
    const auto order = [&](size_t i) {
      const Record& f = facts[i];
      return std::tuple(f.time_ms, f.time_ms != kNoTime && f.kind != kClientRequestKind, f.source.position);
    };
    std::stable_sort(members.begin(), members.end(), [&](size_t a, size_t b) { return order(a) < order(b); });
    std::optional<size_t> pending;
    for (size_t i : members) {
      if (facts[i].kind == kClientRequestKind) {
        if (pending) pairs.push_back({*pending, std::nullopt});
        pending = i;
      } else if (pending && within_pair_window(facts[*pending], facts[i])) {
        pairs.push_back({*pending, i});
        pending.reset();
      }
    }
    if (pending) pairs.push_back({*pending, std::nullopt});
  }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.request < b.request; });
  return pairs;
}

// The attempt's keys are all distinct: each is appended, with no search for one already there. One pass
// over `from`'s fields finds them all (a record has about 30, and a search per key walked them again for
// each: half of correlating a 512 MiB log's 17,000 attempts); each key takes its first value, in `keys` order.
template <size_t N>
void copy_fields(const Record& from, Record& to, const std::string_view (&keys)[N]) {
  std::array<std::optional<std::string_view>, N> found{};
  size_t missing = N;
  for (const FieldView& f : from.fields) {
    for (size_t k = 0; k < N; ++k)
      if (!found[k] && keys[k] == f.key) {
        found[k] = f.value;
        --missing;
        break;
      }
    if (missing == 0) break;
  }
  for (size_t k = 0; k < N; ++k)
    if (found[k]) to.fields.append(keys[k], *found[k]);
}

std::string policy_for(const Record& request, const Knowledge& kb) {
  if (const auto policy = request.get("n_policy"); !trim(policy).empty()) return std::string(trim(policy));
  if (const ProductInfo* product = kb.product(request.get("act_id")); product && product->n_policy > 0)
    return std::to_string(product->n_policy);
  return "";
}

// A low count is the reason for a refusal only when the host said so: no error besides "not enough
// count" (0xC004F038), or the response's status flags carry SL_VL_BINDING_ERROR_NOT_ENOUGH_COUNT. A host
// that refused for another reason (0xC004F042: wrong host key) reports whatever count it has, often 0.
bool refused_for_count(const Record& a, const Record* response) {
  constexpr uint64_t kNotEnoughCount = 0x04000000;
  const std::string_view code = a.get("hresult");
  if (code == "0x00000000" || code == "0xC004F038") return true;
  const auto status = response ? to_number(response->get("status")) : std::nullopt;
  return status && (static_cast<uint64_t>(*status) & kNotEnoughCount) != 0;
}

// The attempt's fields are written in `scratch` (emptied first) and stay there: the caller copies them out.
Record make_attempt(const Record& request, const Record* response, const std::string& host_seen, const Knowledge& kb,
                    FieldList& scratch) {
  Record a;
  scratch.clear();
  a.fields = std::move(scratch);
  a.kind = "activation.attempt";
  a.fields.append("via", "kms-client-log");
  a.source = request.source;
  a.time_ms = request.time_ms;
  a.machine = request.machine;
  copy_fields(request, a,
              {"cmid", "kms_host", "kms_host_name", "kms_port", "act_id", "product", "product_family", "product_n",
               "count_line", "license_status", "license_status_name", "minutes_to_expiry", "vm", "client_time"});
  const std::string n_policy = policy_for(request, kb);
  a.fields.append("n_policy", n_policy);
  a.fields.append("request_hresult", std::string(request.get("hresult")));
  a.fields.append("response_hresult", response ? std::string(response->get("hresult")) : "");
  // The response's code is the later, more specific verdict; a clean response after a failed
  // request build still leaves the request's error as the one to explain.
  const Record& decisive = response && is_error_code(response->get("hresult")) ? *response : request;
  copy_fields(decisive, a,
              {"hresult", "hresult_known", "hresult_symbol", "hresult_meaning", "hresult_cause", "hresult_kms"});
  if (response) copy_fields(*response, a, {"status"});
  a.fields.append("answered", flag(response != nullptr));
  a.fields.append("activated", response ? std::string(response->get("activated")) : "0");
  a.fields.append("count", response ? std::string(response->get("count")) : "");
  a.fields.append("host_seen", host_seen);
  const auto count = to_number(a.get("count"));
  const auto policy = to_number(n_policy);
  a.fields.append("below_threshold", flag(response && a.get("activated") != "1" && count && policy &&
                                          *count < *policy && refused_for_count(a, response)));
  scratch = std::move(a.fields);
  return a;
}

}  // namespace

std::vector<Record> pair_client_attempts(const std::vector<Record>& facts, const HostRequestLedger& ledger,
                                         bool host_logs_supplied, const Knowledge& kb) {
  const HostSightings sightings(ledger);
  const std::vector<Pair> pairs = pair_requests(facts);
  // A big client log makes tens of thousands of attempts (16,961 in a 512 MiB Application log): their array
  // is filled once, in huge pages, not grown by doubling.
  std::vector<Record> out;
  out.reserve(pairs.size());
  advise_huge_pages(out.data(), out.capacity() * sizeof(Record));
  // Their fields, a kilobyte each, go one after another into a slab's huge pages: with a heap block each,
  // the attempts of that log took 17 MB in 4 KiB pages, each a page fault, and were the slower half of
  // correlating it.
  FieldSlab slab;
  FieldList scratch;
  scratch.reserve(32);
  for (const Pair& p : pairs) {
    const Record& request = facts[p.request];
    const std::string host_seen =
        host_logs_supplied ? flag(sightings.seen(request.get("cmid"), request.time_ms)) : "unknown";
    Record& a =
        out.emplace_back(make_attempt(request, p.response ? &facts[*p.response] : nullptr, host_seen, kb, scratch));
    a.fields = slab.copy(scratch);
  }
  return out;
}

}  // namespace kmsdiag::correlation
