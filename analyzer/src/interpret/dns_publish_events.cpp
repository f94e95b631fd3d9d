// 12293 / 12294 in the Application log: the KMS host publishing its _vlmcs._tcp SRV record to DNS.
// 12293 (failed) carries P1 = HRESULT, P2 = domain; 12294 (succeeded) carries P1 = domain.
#include "interpret/event_handlers.hpp"
#include "interpret/fact_fields.hpp"
#include "interpret/payload_fields.hpp"

namespace kmsdiag {

namespace {

// The domain as the rendered message quotes it ("...to DNS in the `contoso.com` domain failed.").
std::string message_domain(const Record& event) { return first_quoted(message_line_with(event, "domain")); }

}  // namespace

EventOutcome interpret_dns_publish_failed(const Record& event, const Knowledge& kb, std::vector<Record>& out) {
  const auto data = data_values(event);
  Record fact = new_fact(event, "kms.dns-publish");
  fact.set("outcome", "failed");
  const bool from_data = !data.empty() && set_hresult(fact, data[0], kb);
  if (!from_data && !set_hresult(fact, message_info(event), kb)) return EventOutcome::malformed;
  fact.set("domain", from_data && data.size() > 1 ? std::string(trim(data[1])) : message_domain(event));
  out.push_back(std::move(fact));
  return EventOutcome::fact;
}

EventOutcome interpret_dns_publish_succeeded(const Record& event, const Knowledge& kb, std::vector<Record>& out) {
  const auto data = data_values(event);
  Record fact = new_fact(event, "kms.dns-publish");
  fact.set("outcome", "succeeded");
  set_hresult(fact, "0x0", kb);
  fact.set("domain", !data.empty() ? std::string(trim(data[0])) : message_domain(event));
  out.push_back(std::move(fact));
  return EventOutcome::fact;
}

}  // namespace kmsdiag
