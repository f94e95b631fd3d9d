// Dispatch: command output goes to the command interpreter, licensing events whose id has a layout
// (rules/tables/event-layouts.yaml) to the event interpreter; everything else is counted, never fatal.
#include "interpret/interpreter.hpp"

#include "interpret/command_interpreter.hpp"
#include "interpret/event_interpreter.hpp"
#include "model/analysis.hpp"

namespace kmsdiag {

namespace {

std::string ignored_key(const Record& event) {
  return ignored_event_key(event.get("provider"), event.get("channel"), event.get("event_id"));
}

}  // namespace

bool Interpreter::interpret(const Record& in, std::vector<Record>& out) {
  if (in.kind.starts_with("cmd.")) {
    if (interpret_command(in, kb_, out)) return true;
    ignore(in.kind.str());
    return false;
  }
  if (in.kind != "event") {
    ignore(in.kind.str());
    return false;
  }
  const EventLayout* layout = kb_.activation_layout(in.get("provider"), in.get("channel"), in.get("event_id"));
  if (layout == nullptr) {
    ignore(ignored_key(in));
    return false;
  }
  if (layout->counted_only) {
    if (unread_counter_)
      unread_counter_(layout->kind, in.time_ms);
    else
      unread_.add(layout->kind, in.time_ms);
    return true;
  }
  switch (interpret_event(*layout, in, kb_, out)) {
    case EventOutcome::fact:
      return true;
    case EventOutcome::malformed:
      ignore("malformed " + std::string(trim(in.get("event_id"))));
      problems_.push_back(
          Problem{in.source, "event " + std::string(trim(in.get("event_id"))) +
                                 ": the KMS payload is missing fields or is not readable; event left out"});
      return false;
    case EventOutcome::unused:
      break;
  }
  ignore(ignored_key(in));
  return false;
}

void Interpreter::ignore(const std::string& kind) {
  if (counter_)
    counter_(kind);
  else
    count_ignored(ignored_, kind);
}

}  // namespace kmsdiag
