// 12290 in the "Key Management Service" log: one request as the KMS host processed it.
// Payload: HRESULT, N-Policy, client name, CMID, client time, VM, license status, minutes left, ActID.
#include "interpret/event_handlers.hpp"
#include "interpret/fact_fields.hpp"
#include "interpret/payload_fields.hpp"

namespace kmsdiag {

EventOutcome interpret_kms_host_request(const Record& event, const Knowledge& kb, std::vector<Record>& out) {
  const auto payload = kms_payload(event, 9);
  if (!payload) return EventOutcome::malformed;
  const auto& f = *payload;
  Record fact = new_fact(event, "kms.host-request");
  if (!set_hresult(fact, f[0], kb)) return EventOutcome::malformed;
  fact.set("n_policy", f[1]);
  fact.set("client", f[2]);
  set_request_common(fact, f, kb);
  out.push_back(std::move(fact));
  return EventOutcome::fact;
}

}  // namespace kmsdiag
