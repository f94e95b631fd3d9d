#include "interpret/command_interpreter.hpp"

#include "interpret/command_facts.hpp"

namespace kmsdiag {

bool interpret_command(const Record& in, const Knowledge& kb, std::vector<Record>& out) {
  if (in.kind == "cmd.srv-lookup") return srv_facts(in, out);
  if (in.kind.starts_with("cmd.slmgr") || in.kind == "cmd.ospp") return licensing_facts(in, kb, out);
  return false;
}

}  // namespace kmsdiag
