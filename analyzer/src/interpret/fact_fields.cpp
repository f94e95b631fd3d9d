#include "interpret/fact_fields.hpp"

#include <algorithm>

namespace kmsdiag {

Record new_fact(const Record& event, std::string_view kind, size_t fields) {
  Record fact;
  fact.kind = kind;
  fact.fields.reserve(fields);
  fact.source = event.source;
  fact.time_ms = event.time_ms;
  fact.machine = event.machine;
  return fact;
}

bool set_hresult(Record& fact, std::string_view raw, const Knowledge& kb, std::string_view field) {
  std::string code = Knowledge::canonical_code(raw);
  if (code.empty()) return false;
  if (field == "hresult" && code != "0x00000000") {
    const ErrorInfo* info = kb.error(code);
    // An error code the tables do not know is a finding of its own (rules/unrecognised-error.yaml).
    fact.set("hresult_known", info ? "1" : "0");
    if (info) {
      fact.set("hresult_symbol", info->symbol);
      fact.set("hresult_meaning", info->meaning);
      fact.set("hresult_cause", info->cause);
      fact.set("hresult_kms", info->kms ? "1" : "0");
    }
  }
  fact.set(field, std::move(code));
  return true;
}

std::string_view guid_or_raw(std::string_view text, Knowledge::GuidText& buf) {
  const std::string_view guid = Knowledge::canonical_guid(text, buf);
  return guid.empty() ? trim(text) : guid;
}

void set_product(Record& fact, std::string_view act_id, const Knowledge& kb) {
  Knowledge::GuidText buf;
  fact.set("act_id", guid_or_raw(act_id, buf));
  const ProductInfo* p = kb.product(act_id);
  if (p) {
    fact.set("product", p->name);
    fact.set("product_family", p->family);
    if (!p->kms_host) fact.set("product_n", std::to_string(p->n_policy));
  }
  // The count a KMS host keeps for it (an unlisted Activation ID counts on the table's `unlisted` line).
  if (const CountLine* line = kb.count_line_of(p)) fact.set("count_line", line->id);
}

void set_license_status(Record& fact, std::string_view status, const Knowledge& kb) {
  fact.set("license_status", trim(status));
  const std::string_view name = kb.license_status_name(status);
  if (!name.empty()) fact.set("license_status_name", name);
}

void set_kms_host(Record& fact, std::string_view server) {
  fact.set("kms_host", server);
  std::string_view name = server, port;
  const size_t colon = server.rfind(':');
  const bool bracketed = !server.empty() && server.front() == '[';
  const size_t close = server.find(']');
  if (bracketed && close != std::string_view::npos) {
    name = server.substr(1, close - 1);
    if (colon != std::string_view::npos && colon > close) port = server.substr(colon + 1);
  } else if (colon != std::string_view::npos && server.find(':') == colon) {
    name = server.substr(0, colon);
    port = server.substr(colon + 1);
  }
  if (!port.empty() && port.front() == '_') port.remove_prefix(1);
  const bool numeric =
      !port.empty() && std::all_of(port.begin(), port.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
  fact.set("kms_host_name", name);
  fact.set("kms_port", numeric ? port : std::string_view());
}

}  // namespace kmsdiag
