// Licensing events -> facts, driven by their layout (knowledge/event_layouts.hpp,
// rules/tables/event-layouts.yaml): one generic reader instead of one handler per event id.
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

// Reads `event` (an ingested "event" record whose id has `layout`) and appends the fact it yields.
EventOutcome interpret_event(const EventLayout& layout, const Record& event, const Knowledge& kb,
                             std::vector<Record>& out);

}  // namespace kmsdiag
