// Dispatch: command output goes to the command interpreter, licensing events to the handler for their
// event id (event_handlers.hpp); everything else is counted, never fatal.
#include "interpret/interpreter.hpp"

#include <map>

#include "interpret/command_interpreter.hpp"
#include "interpret/event_handlers.hpp"

namespace kmsdiag {

namespace {

const std::map<std::string, EventHandler, std::less<>>& handlers() {
  static const std::map<std::string, EventHandler, std::less<>> kHandlers = {
      {"12290", interpret_kms_host_request},
      {"12288", interpret_kms_client_request},
      {"12289", interpret_kms_client_response},
      {"12293", interpret_dns_publish_failed},
      {"12294", interpret_dns_publish_succeeded},
      {"8198", interpret_spp_activation_failure},
      {"900", interpret_spp_service},
      {"902", interpret_spp_service},
      {"903", interpret_spp_service},
      {"8230", interpret_spp_license_state},
      {"16384", interpret_spp_restart_scheduled},
      {"12308", interpret_adba_activation},
  };
  return kHandlers;
}

// "<channel or provider> <event id>", the key of Analysis::ignored_events.
std::string ignored_key(const Record& event) {
  const std::string_view channel = event.get("channel");
  return std::string(channel.empty() ? event.get("provider") : channel) + " " + std::string(event.get("event_id"));
}

}  // namespace

bool Interpreter::interpret(const Record& in, std::vector<Record>& out) {
  if (in.kind.rfind("cmd.", 0) == 0) {
    if (interpret_command(in, kb_, out)) return true;
    ++ignored_[in.kind];
    return false;
  }
  if (in.kind != "event") {
    ++ignored_[in.kind];
    return false;
  }
  const auto handler = handlers().find(trim(in.get("event_id")));
  if (handler == handlers().end() || !kb_.is_licensing_source(in.get("provider"), in.get("channel"))) {
    ++ignored_[ignored_key(in)];
    return false;
  }
  switch (handler->second(in, kb_, out)) {
    case EventOutcome::fact:
      return true;
    case EventOutcome::malformed:
      ++ignored_["malformed " + std::string(trim(in.get("event_id")))];
      problems_.push_back(
          Problem{in.source, "event " + std::string(trim(in.get("event_id"))) +
                                 ": the KMS payload is missing fields or is not readable; event left out"});
      return false;
    case EventOutcome::unused:
      break;
  }
  ++ignored_[ignored_key(in)];
  return false;
}

}  // namespace kmsdiag
