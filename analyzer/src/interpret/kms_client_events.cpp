// 12288 / 12289 in the Application log: a KMS client's request and the host's answer as the client saw it.
#include <algorithm>

#include "interpret/event_handlers.hpp"
#include "interpret/fact_fields.hpp"
#include "interpret/payload_fields.hpp"

namespace kmsdiag {

namespace {

// Status is a flag word; keep it in the canonical hex form when it parses, as written otherwise.
void set_status(Record& fact, const std::string& raw, const Knowledge& kb) {
  if (!set_hresult(fact, raw, kb, "status")) fact.set("status", raw);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

// "kms1.contoso.com:1688", "[fe80::1]:1688", "_key.management.server:_1688" (as an Office 2010 sample
// prints it) -> name and port; no port when the text after the last colon is not a port number.
void set_kms_host(Record& fact, const std::string& server) {
  fact.set("kms_host", server);
  std::string_view name = server, port;
  const size_t colon = server.rfind(':');
  const bool bracketed = !server.empty() && server.front() == '[';
  const size_t close = server.find(']');
  if (bracketed && close != std::string::npos) {
    name = std::string_view(server).substr(1, close - 1);
    if (colon != std::string::npos && colon > close) port = std::string_view(server).substr(colon + 1);
  } else if (colon != std::string::npos && server.find(':') == colon) {
    name = std::string_view(server).substr(0, colon);
    port = std::string_view(server).substr(colon + 1);
  }
  if (!port.empty() && port.front() == '_') port.remove_prefix(1);
  fact.set("kms_host_name", std::string(name));
  fact.set("kms_port", all_digits(port) ? std::string(port) : std::string());
}

}  // namespace

// Payload: HRESULT, status, host:port, CMID, client time, VM, license status, minutes left, ActID, N-Policy.
EventOutcome interpret_kms_client_request(const Record& event, const Knowledge& kb, std::vector<Record>& out) {
  const auto payload = kms_payload(event, 9);
  if (!payload) return EventOutcome::malformed;
  const auto& f = *payload;
  Record fact = new_fact(event, "kms.client-request");
  if (!set_hresult(fact, f[0], kb)) return EventOutcome::malformed;
  set_status(fact, f[1], kb);
  set_kms_host(fact, f[2]);
  set_request_common(fact, f, kb);
  // Some clients leave N-Policy empty (trailing ", "), some omit it.
  fact.set("n_policy", f.size() > 9 ? f[9] : std::string());
  out.push_back(std::move(fact));
  return EventOutcome::fact;
}

// Payload: HRESULT, status, fBound (activated), unused, host count, activation interval, renewal interval,
// client time.
EventOutcome interpret_kms_client_response(const Record& event, const Knowledge& kb, std::vector<Record>& out) {
  const auto payload = kms_payload(event, 8);
  if (!payload) return EventOutcome::malformed;
  const auto& f = *payload;
  Record fact = new_fact(event, "kms.client-response");
  if (!set_hresult(fact, f[0], kb)) return EventOutcome::malformed;
  set_status(fact, f[1], kb);
  fact.set("activated", f[2]);
  fact.set("count", f[4]);
  fact.set("activation_interval", f[5]);
  fact.set("renewal_interval", f[6]);
  fact.set("client_time", f[7]);
  out.push_back(std::move(fact));
  return EventOutcome::fact;
}

}  // namespace kmsdiag
