#include "interpret/command_facts.hpp"
#include "interpret/fact_fields.hpp"

namespace kmsdiag {

bool srv_facts(const Record& in, std::vector<Record>& out) {
  Record fact = new_fact(in, "dns.srv-lookup");
  for (std::string_view key : {"query", "domain", "status", "server", "targets", "count"}) {
    fact.set(key, std::string(in.get(key)));
  }
  fact.set("tool", std::string(in.get("format")));
  out.push_back(std::move(fact));
  return true;
}

}  // namespace kmsdiag
