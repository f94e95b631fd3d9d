// One handler per licensing event id; interpreter.cpp dispatches to them by event id.
// Each handler reads an ingested "event" record and appends the facts rules/records.md defines.
#pragma once

#include <vector>

#include "knowledge/knowledge.hpp"
#include "model/record.hpp"

namespace kmsdiag {

enum class EventOutcome {
  fact,       // facts appended
  malformed,  // a KMS event whose payload could not be read: no fact, counted as "malformed <id>"
  unused,     // a known event id carrying nothing usable here: counted as ignored
};

using EventHandler = EventOutcome (*)(const Record& event, const Knowledge& kb, std::vector<Record>& out);

// kms_host_event.cpp
EventOutcome interpret_kms_host_request(const Record& event, const Knowledge& kb, std::vector<Record>& out);  // 12290
// kms_client_events.cpp
EventOutcome interpret_kms_client_request(const Record& event, const Knowledge& kb, std::vector<Record>& out);  // 12288
EventOutcome interpret_kms_client_response(const Record& event, const Knowledge& kb,
                                           std::vector<Record>& out);  // 12289
// dns_publish_events.cpp
EventOutcome interpret_dns_publish_failed(const Record& event, const Knowledge& kb, std::vector<Record>& out);  // 12293
EventOutcome interpret_dns_publish_succeeded(const Record& event, const Knowledge& kb,
                                             std::vector<Record>& out);  // 12294
// spp_events.cpp
EventOutcome interpret_spp_activation_failure(const Record& event, const Knowledge& kb,
                                              std::vector<Record>& out);                                 // 8198
EventOutcome interpret_spp_service(const Record& event, const Knowledge& kb, std::vector<Record>& out);  // 900/902/903
EventOutcome interpret_spp_license_state(const Record& event, const Knowledge& kb, std::vector<Record>& out);  // 8230
EventOutcome interpret_spp_restart_scheduled(const Record& event, const Knowledge& kb,
                                             std::vector<Record>& out);                                      // 16384
EventOutcome interpret_adba_activation(const Record& event, const Knowledge& kb, std::vector<Record>& out);  // 12308

}  // namespace kmsdiag
