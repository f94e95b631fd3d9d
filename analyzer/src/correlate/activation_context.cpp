// Activation attempts as one concept: the host log's refusals become attempts of the client they
// refused, and every attempt learns how its machine finds its KMS host and which key channel it
// carries, from that machine's license state (slmgr /dlv, ospp /dstatus). A DNS error means one thing
// for a client that discovers its host through DNS and another for one with a registered host name.
#include <algorithm>
#include <map>

#include "correlate/correlation_steps.hpp"
#include "model/machine_place.hpp"

namespace kmsdiag::correlation {
namespace {

// Where evidence about one machine is gathered (model/machine_place.hpp). slmgr and ospp do not print the
// computer name, so their output is placed by its folder: a bundle keeps each machine's files in a folder of its own.
std::string folder_of(const Record& r) { return "folder:" + std::string(input_folder(r.source.path)); }

std::string place_of(const Record& r) { return place_key(r); }

struct MachineContext {
  std::string kms_host;         // host:port the machine uses, when its license state names one
  std::string kms_host_source;  // registered / dns / none
  std::string channel;          // VOLUME_KMSCLIENT, RETAIL, ...
};

}  // namespace

std::vector<Record> host_side_attempts(const std::vector<Record>& facts) {
  std::vector<Record> out;
  for (const Record& f : facts) {
    if (f.kind != "kms.host-request" || !is_error_code(f.get("hresult"))) continue;
    Record a;
    a.kind = "activation.attempt";
    a.source = f.source;
    a.time_ms = f.time_ms;
    // The attempt belongs to the client that made it; the host that refused it is where it went.
    a.machine = std::string(trim(f.get("client")));
    a.set("via", "kms-host-log");
    for (const FieldView& field : f.fields)
      if (field.key != "client") a.set(field.key, field.value);
    a.set("kms_host", f.machine);
    a.set("kms_host_name", f.machine);
    a.set("answered", "1");
    a.set("activated", "0");
    out.push_back(std::move(a));
  }
  return out;
}

void fold_echoed_attempts(std::vector<Record>& facts, std::vector<Record>& attempts) {
  // slui logs an 8198 right after a failed KMS exchange: the same attempt seen twice, not a second one.
  constexpr int64_t kEchoWindowMs = 5 * kMinuteMs;
  std::map<std::string, std::vector<Record*>> kms_attempts;  // by machine key, in time order
  for (Record& a : attempts)
    if (a.kind == kAttemptKind && a.get("via") == "kms-client-log" && a.time_ms != kNoTime)
      kms_attempts[machine_key(a.machine)].push_back(&a);
  if (kms_attempts.empty()) return;
  for (auto& [machine, list] : kms_attempts)
    std::sort(list.begin(), list.end(), [](const Record* x, const Record* y) { return x->time_ms < y->time_ms; });
  const auto echoed = [&](const Record& f) {
    if (f.kind != kAttemptKind || f.get("via") != "spp-8198" || f.time_ms == kNoTime) return false;
    const auto it = kms_attempts.find(machine_key(f.machine));
    if (it == kms_attempts.end()) return false;
    // The latest KMS attempt at or before the 8198, within the window.
    const auto after = std::upper_bound(it->second.begin(), it->second.end(), f.time_ms,
                                        [](int64_t t, const Record* a) { return t < a->time_ms; });
    if (after == it->second.begin()) return false;
    Record& kms = **std::prev(after);
    if (f.time_ms - kms.time_ms > kEchoWindowMs || kms.get("activated") == "1") return false;
    kms.set("seen_by", "kms-client-log,spp-8198");
    return true;
  };
  facts.erase(std::remove_if(facts.begin(), facts.end(), echoed), facts.end());
}

std::vector<Record> client_log_states(const std::vector<Record>& attempts) {
  // The latest attempt per machine and product tells its state: the 12288 carries the state it was in
  // when it asked, and a successful answer starts a fresh 180-day activation.
  constexpr std::string_view kFreshActivationMinutes = "259200";
  std::map<std::pair<std::string, std::string>, const Record*> latest;
  for (const Record& a : attempts) {
    if (a.kind != kAttemptKind || a.get("via") != "kms-client-log" || a.time_ms == kNoTime) continue;
    const Record*& slot = latest[{machine_key(a.machine), std::string(a.get("act_id"))}];
    if (slot == nullptr || a.time_ms >= slot->time_ms) slot = &a;
  }
  std::vector<Record> out;
  for (const auto& [key, a] : latest) {
    Record s;
    s.kind = "license.state";
    s.source = a->source;
    s.time_ms = a->time_ms;
    s.machine = a->machine;
    s.set("via", "kms-client-log");
    s.set("channel", "VOLUME_KMSCLIENT");  // only a KMS client sends 12288
    for (std::string_view field :
         {"act_id", "product", "product_family", "product_n", "count_line", "cmid", "kms_host"})
      if (const auto v = a->get(field); !v.empty()) s.set(field, std::string(v));
    if (a->get("activated") == "1") {
      s.set("license_status", "1");
      s.set("license_status_name", "Licensed");
      s.set("minutes_to_expiry", std::string(kFreshActivationMinutes));
    } else {
      for (std::string_view field : {"license_status", "license_status_name", "minutes_to_expiry"})
        if (const auto v = a->get(field); !v.empty()) s.set(field, std::string(v));
    }
    out.push_back(std::move(s));
  }
  return out;
}

void annotate_key_groups(std::vector<Record>& facts, const Knowledge& kb) {
  for (Record& f : facts) {
    if (f.kind != kAttemptKind || f.get("hresult_cause") != "host-key-mismatch") continue;
    const ProductInfo* product = kb.product(f.get("act_id"));
    const KeyGroup* group = product ? kb.key_group(product->min_key_group) : nullptr;
    if (group == nullptr) continue;
    f.set("min_key_group", group->id);
    f.set("min_key_group_name", group->name);
  }
}

void mark_superseded_states(std::vector<Record>& facts) {
  // The newest dated state of each product on each machine, and each machine's last successful attempt.
  std::map<std::string, int64_t> newest_state, last_success;
  const auto product_key = [](const Record& f) {
    return place_of(f) + "|" + std::string(f.get("act_id").empty() ? f.get("product_name") : f.get("act_id"));
  };
  for (const Record& f : facts) {
    if (f.time_ms == kNoTime) continue;
    if (f.kind == kLicenseStateKind) {
      int64_t& t = newest_state.try_emplace(product_key(f), f.time_ms).first->second;
      t = std::max(t, f.time_ms);
    } else if (f.kind == kAttemptKind && f.get("activated") == "1") {
      int64_t& t = last_success.try_emplace(place_of(f), f.time_ms).first->second;
      t = std::max(t, f.time_ms);
    }
  }
  for (Record& f : facts) {
    if (f.kind != kLicenseStateKind || f.time_ms == kNoTime) continue;
    const auto success = last_success.find(place_of(f));
    const bool superseded =
        f.time_ms < newest_state[product_key(f)] || (success != last_success.end() && success->second > f.time_ms);
    f.set("superseded", superseded ? "1" : "0");
  }
}

void annotate_machine_context(std::vector<Record>& facts) {
  std::map<std::string, MachineContext> context;
  for (const Record& f : facts) {
    if (f.kind != kLicenseStateKind) continue;
    MachineContext& c = context[place_of(f)];
    if (const auto source = f.get("kms_host_source"); !source.empty()) c.kms_host_source = std::string(source);
    if (const auto host = f.get("kms_host"); !host.empty()) c.kms_host = std::string(host);
    // A machine lists several products; the one that activates through KMS or not is what matters, and
    // a volume client channel is never overridden by an unused retail license of another product.
    if (const auto channel = f.get("channel");
        !channel.empty() && f.get("license_in_use") != "0" && (c.channel.empty() || c.channel.rfind("VOLUME", 0) != 0))
      c.channel = std::string(channel);
  }
  if (context.empty()) return;
  for (Record& f : facts) {
    if (f.kind != kAttemptKind) continue;
    // An event log names its machine; the slmgr output beside it in the same folder does not.
    auto it = context.find(place_of(f));
    if (it == context.end()) it = context.find(folder_of(f));
    if (it == context.end()) continue;
    if (!it->second.kms_host_source.empty() && !f.has("kms_host_source"))
      f.set("kms_host_source", it->second.kms_host_source);
    if (!it->second.channel.empty() && !f.has("channel")) f.set("channel", it->second.channel);
    if (!it->second.kms_host.empty() && f.get("kms_host").empty()) f.set("kms_host", it->second.kms_host);
  }
}

}  // namespace kmsdiag::correlation
