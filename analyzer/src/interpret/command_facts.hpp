// The per-command halves of the command interpreter (command_interpreter.cpp dispatches on kind).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "knowledge/knowledge.hpp"
#include "model/record.hpp"

namespace kmsdiag {

// cmd.slmgr (product and KMS host blocks), cmd.slmgr-ato, cmd.slmgr-xpr, cmd.ospp -> KMS facts.
bool licensing_facts(const Record& in, const Knowledge& kb, std::vector<Record>& out);
// cmd.srv-lookup -> dns.srv-lookup.
bool srv_facts(const Record& in, std::vector<Record>& out);

// "Windows(R) Operating System, VOLUME_KMSCLIENT channel" -> "VOLUME_KMSCLIENT" ("" when absent).
std::string channel_of(std::string_view description);

}  // namespace kmsdiag
