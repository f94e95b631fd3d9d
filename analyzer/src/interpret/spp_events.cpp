// Software Protection service events in the Application log that are not KMS exchanges:
// 8198 (slui activation failure), 900/902/903 (service state), 8230 (license state after a rules-engine
// run), 16384 (restart scheduled), 12308 (Active Directory-based activation succeeded).
#include <cstdio>
#include <map>

#include "interpret/event_handlers.hpp"
#include "interpret/fact_fields.hpp"
#include "interpret/payload_fields.hpp"

namespace kmsdiag {

namespace {

std::string value_of(const std::map<std::string, std::string>& kv, const char* key) {
  const auto it = kv.find(key);
  return it == kv.end() ? std::string() : it->second;
}

// "2023/11/20:01:21:13" (8230 GraceEndDate, UTC) -> ISO 8601; "" when it does not have that shape.
std::string slash_date_to_iso(std::string_view s) {
  int y, mo, d, h, mi, sec;
  char tail;
  if (std::sscanf(std::string(s).c_str(), "%4d/%2d/%2d:%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &tail) != 6) {
    return "";
  }
  return format_time(utc_ms(y, mo, d, h, mi, sec));
}

}  // namespace

// Data[0] "hr=0x800704CF"; Data[1] "RuleId=…;Action=AutoActivate;AppId=…;SkuId=…;Trigger=UserLogon;…".
// The rendered message carries the same two lines. One failed activation attempt (via spp-8198).
EventOutcome interpret_spp_activation_failure(const Record& event, const Knowledge& kb, std::vector<Record>& out) {
  const auto data = data_values(event);
  Record fact = new_fact(event, "activation.attempt");
  fact.set("via", "spp-8198");
  const bool from_data = !data.empty() && set_hresult(fact, data[0], kb);
  if (!from_data) {
    const std::string line = message_line_with(event, "hr=");
    const size_t at = line.find("hr=");
    if (at == std::string::npos || !set_hresult(fact, line.substr(at), kb)) return EventOutcome::malformed;
  }
  const auto kv = key_values(from_data && data.size() > 1 ? data[1] : message_line_with(event, "SkuId="));
  fact.set("app_id", guid_or_raw(value_of(kv, "AppId")));
  set_product(fact, value_of(kv, "SkuId"), kb);
  fact.set("action", value_of(kv, "Action"));
  fact.set("trigger", value_of(kv, "Trigger"));
  fact.set("activated", "0");
  out.push_back(std::move(fact));
  return EventOutcome::fact;
}

EventOutcome interpret_spp_service(const Record& event, const Knowledge&, std::vector<Record>& out) {
  static const std::map<std::string, std::string, std::less<>> kStates = {
      {"900", "starting"}, {"902", "started"}, {"903", "stopped"}};
  const auto state = kStates.find(event.get("event_id"));
  if (state == kStates.end()) return EventOutcome::unused;
  Record fact = new_fact(event, "spp.service");
  fact.set("state", state->second);
  // Only 902 carries the service version; 900's Data is "<explicit>" or start parameters.
  fact.set("version", state->first == "902" ? std::string(trim(event.get("data.0"))) : std::string());
  out.push_back(std::move(fact));
  return EventOutcome::fact;
}

// SL_LICENSING_STATUS (the licensing API's coarse state) -> the 0-6 license status slmgr and the KMS
// events use. IN_GRACE_PERIOD does not say which grace; initial grace is by far the most common.
constexpr std::pair<std::string_view, std::string_view> kLicensingStatus[] = {
    {"SL_LICENSING_STATUS_UNLICENSED", "0"},
    {"SL_LICENSING_STATUS_LICENSED", "1"},
    {"SL_LICENSING_STATUS_IN_GRACE_PERIOD", "2"},
    {"SL_LICENSING_STATUS_NOTIFICATION", "5"}};

// Data[0] "Security-SPP-Action-StateData (REG_SZ) =AppId=…;GraceEndDate=2023/11/20:01:21:13;
// LastConsumptionReason=0x00000000;…;LicenseState=SL_LICENSING_STATUS_LICENSED;PartialProductKey=6VM33;
// ProductKeyType=Volume:GVLK;SkuId=…". Other 8230 variants (no SkuId) are not used.
EventOutcome interpret_spp_license_state(const Record& event, const Knowledge& kb, std::vector<Record>& out) {
  const auto kv = key_values(event.get("data.0"));
  const std::string sku = value_of(kv, "SkuId");
  if (sku.empty()) return EventOutcome::unused;
  Record fact = new_fact(event, "license.state");
  fact.set("via", "spp-8230");
  set_product(fact, sku, kb);
  const std::string state = value_of(kv, "LicenseState");
  for (const auto& [name, status] : kLicensingStatus)
    if (state == name) set_license_status(fact, status, kb);
  fact.set("partial_key", value_of(kv, "PartialProductKey"));
  fact.set("product_key_type", value_of(kv, "ProductKeyType"));
  // The result of the last license evaluation: an error here is the reason the state is what it is.
  if (const std::string reason = value_of(kv, "LastConsumptionReason");
      Knowledge::canonical_code(reason) != "0x00000000")
    set_hresult(fact, reason, kb);
  fact.set("grace_end", slash_date_to_iso(value_of(kv, "GraceEndDate")));
  out.push_back(std::move(fact));
  return EventOutcome::fact;
}

// Data[0] = restart time (ISO 8601 UTC), Data[1] = reason ("RulesEngine").
EventOutcome interpret_spp_restart_scheduled(const Record& event, const Knowledge&, std::vector<Record>& out) {
  const std::string_view when = trim(event.get("data.0"));
  const auto ms = parse_iso8601(when);
  if (!ms) return EventOutcome::malformed;
  Record fact = new_fact(event, "spp.restart-scheduled");
  fact.set("restart_time", format_time(*ms));
  fact.set("reason", std::string(trim(event.get("data.1"))));
  out.push_back(std::move(fact));
  return EventOutcome::fact;
}

// Data[0] = SKU (ActID), Data[1] = Activation Object name, Data[2] = its distinguished name.
EventOutcome interpret_adba_activation(const Record& event, const Knowledge& kb, std::vector<Record>& out) {
  if (Knowledge::canonical_guid(event.get("data.0")).empty()) return EventOutcome::malformed;
  Record fact = new_fact(event, "adba.activation");
  set_product(fact, event.get("data.0"), kb);
  fact.set("ao_name", std::string(trim(event.get("data.1"))));
  fact.set("ao_dn", std::string(trim(event.get("data.2"))));
  out.push_back(std::move(fact));
  return EventOutcome::fact;
}

}  // namespace kmsdiag
