// slmgr / ospp output -> license.state, kms.host-state and activation.attempt facts. slmgr and ospp
// readers use the same canonical field names (rules/tables/labels-*.yaml), so one mapping serves both.
#include <string>

#include "interpret/command_facts.hpp"
#include "interpret/fact_fields.hpp"

namespace kmsdiag {
namespace {

// The first run of decimal digits ("259200 minute(s) (180 day(s))" -> "259200"); "" if none.
std::string first_integer(std::string_view text) {
  const size_t b = text.find_first_of("0123456789");
  if (b == std::string_view::npos) return {};
  const size_t e = text.find_first_not_of("0123456789", b);
  return std::string(text.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
}

void copy(const Record& in, Record& fact, std::string_view from, std::string_view to = {}) {
  if (const auto v = in.find(from); v && !v->empty()) fact.set(to.empty() ? from : to, *v);
}

void copy_number(const Record& in, Record& fact, std::string_view from, std::string_view to) {
  if (const std::string n = first_integer(in.get(from)); !n.empty()) fact.set(to, n);
}

void set_identity(const Record& in, Record& fact, const Knowledge& kb) {
  copy(in, fact, "name", "product_name");
  copy(in, fact, "description");
  if (const std::string channel = channel_of(in.get("description")); !channel.empty()) fact.set("channel", channel);
  if (const std::string_view act = in.get("act_id"); !act.empty()) set_product(fact, act, kb);
  if (const std::string_view s = in.get("license_status"); !s.empty()) set_license_status(fact, s, kb);
  copy(in, fact, "partial_key");
}

// `license.state`: the license state of one product and, for a KMS client, where it activates.
Record client_state(const Record& in, const Knowledge& kb) {
  Record fact = new_fact(in, "license.state");
  fact.set("via", in.kind == "cmd.ospp" ? "ospp" : "slmgr");
  set_identity(in, fact, kb);
  if (const std::string_view reason = in.get("notification_reason"); !reason.empty()) {
    fact.set("notification_reason", std::string(reason));
    set_hresult(fact, reason, kb);
  }
  // "259200 minute(s) (180 day(s))"; ospp: "180 days  (259200 minute(s) before expiring)".
  for (std::string_view key : {"volume_expiration", "time_remaining", "timebased_expiration"}) {
    copy_number(in, fact, key, "minutes_to_expiry");
  }
  if (const std::string_view grace = in.get("remaining_grace"); !grace.empty()) {
    const size_t open = grace.find('(');
    fact.set("minutes_to_expiry", first_integer(open == std::string_view::npos ? grace : grace.substr(open)));
  }
  copy(in, fact, "cmid");
  copy(in, fact, "srv_domain");
  copy(in, fact, "kms_ip");
  copy(in, fact, "host_caching");
  copy(in, fact, "activation_type");
  copy(in, fact, "license_in_use");
  copy(in, fact, "ao_name");  // Active Directory-based activation: the activation object used
  copy_number(in, fact, "activation_interval", "activation_interval");
  copy_number(in, fact, "renewal_interval", "renewal_interval");
  // The host a client uses: a registered (/skms) name overrides DNS discovery.
  if (const std::string_view reg = in.get("kms_registered_name"); !reg.empty()) {
    fact.set("kms_host", std::string(reg));
    fact.set("kms_host_source", "registered");
  } else if (const std::string_view dns = in.get("kms_dns_name"); !dns.empty()) {
    fact.set("kms_host", std::string(dns));
    fact.set("kms_host_source", "dns");
  } else if (in.get("kms_name_available") == "0") {
    fact.set("kms_host_source", "none");
  }
  return fact;
}

// `kms.host-state`: the KMS host service of this machine and the license of its host key.
Record host_state(const Record& in, const Knowledge& kb) {
  Record fact = new_fact(in, "kms.host-state");
  set_identity(in, fact, kb);
  for (std::string_view key :
       {"current_count", "port", "total_requests", "failed_requests", "requests_unlicensed", "requests_licensed",
        "requests_initial_grace", "requests_oot_grace", "requests_nongenuine_grace", "requests_notification"}) {
    copy_number(in, fact, key, key);
  }
  copy(in, fact, "dns_publishing");
  copy(in, fact, "kms_priority");
  return fact;
}

// `activation.attempt`: the outcome of `slmgr /ato` or `ospp /act`.
Record activation_result(const Record& in, const Knowledge& kb, std::string_view code, std::string_view message) {
  Record fact = new_fact(in, "activation.attempt");
  fact.set("via", in.kind == "cmd.ospp" ? "ospp-act" : "slmgr-ato");
  if (!set_hresult(fact, code, kb)) fact.set("hresult", std::string(code));
  fact.set("activated", fact.get("hresult") == "0x00000000" ? "1" : "0");
  copy(in, fact, in.kind == "cmd.ospp" ? "name" : "product", "product_name");
  if (const std::string_view act = in.get("act_id"); !act.empty()) set_product(fact, act, kb);
  if (!message.empty()) fact.set("message", std::string(message));
  return fact;
}

// `slmgr /xpr` verdicts as a license status: a state that names no status adds only the expiry text.
constexpr std::pair<std::string_view, std::string_view> kXprStatus[] = {
    {"permanent", "1"}, {"volume", "1"}, {"timebased", "1"}, {"grace", "2"}, {"notification", "5"}};

Record expiry_state(const Record& in, const Knowledge& kb) {
  Record fact = new_fact(in, "license.state");
  fact.set("via", "slmgr-xpr");
  copy(in, fact, "product", "product_name");
  copy(in, fact, "state", "expiry_state");
  copy(in, fact, "expires");
  for (const auto& [state, status] : kXprStatus) {
    if (in.get("state") == state) set_license_status(fact, status, kb);
  }
  return fact;
}

}  // namespace

std::string channel_of(std::string_view description) {
  const std::string lower = ascii_lower(description);
  if (lower.size() < 2) return {};
  const size_t at = lower.rfind(" channel");
  if (at == std::string::npos || at == 0) return {};
  const size_t start = lower.find_last_of(" ,", at - 1);
  std::string channel(description.substr(start == std::string::npos ? 0 : start + 1,
                                         at - (start == std::string::npos ? 0 : start + 1)));
  for (auto& c : channel) {
    c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));  // "VOLUME-KMSCLIENT" seen
  }
  return channel;
}

bool licensing_facts(const Record& in, const Knowledge& kb, std::vector<Record>& out) {
  if (in.kind == "cmd.slmgr-ato") {
    if (in.get("hresult").empty()) return false;
    out.push_back(activation_result(in, kb, in.get("hresult"), in.get("message")));
    return true;
  }
  if (in.kind == "cmd.slmgr-xpr") {
    out.push_back(expiry_state(in, kb));
    return true;
  }
  if (in.kind == "cmd.slmgr" && in.get("block") == "kms-host") {
    out.push_back(host_state(in, kb));
    return true;
  }
  if (in.get("name").empty() && in.get("description").empty() && in.get("license_status").empty()) return false;
  out.push_back(client_state(in, kb));
  if (in.kind == "cmd.ospp") {
    if (const std::string_view code = in.get("error_code"); !code.empty()) {
      out.push_back(activation_result(in, kb, code, in.get("error_description")));
    } else if (in.get("activation_result") == "ok") {
      out.push_back(activation_result(in, kb, "0x00000000", ""));
    }
  }
  return true;
}

}  // namespace kmsdiag
