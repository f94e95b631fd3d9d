// The same log given twice (Application.evtx and "Application (1).evtx", or an .evtx with its XML
// export) is one source: its facts must count once, or one machine looks like two clones.
#include <algorithm>
#include <unordered_map>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {
namespace {

// Everything that makes a fact what it is, but not where it was read.
std::string identity(const Record& f) {
  std::string key =
      f.kind + '\x1f' + machine_key(f.machine) + '\x1f' + std::to_string(f.time_ms) + '\x1f' + f.source.record_id;
  for (const Field& field : f.fields) key += '\x1f' + field.key + '=' + field.value;
  return key;
}

}  // namespace

void drop_duplicate_sources(std::vector<Record>& facts) {
  // Identical facts within one input are real repeats (two requests in one second); only a copy read
  // from another input is dropped. Undated facts (command output) carry too little to tell apart.
  std::unordered_map<std::string, std::string> first_path;
  const auto copy = [&](const Record& f) {
    if (f.time_ms == kNoTime) return false;
    const auto [it, inserted] = first_path.try_emplace(identity(f), f.source.path);
    return !inserted && it->second != f.source.path;
  };
  facts.erase(std::remove_if(facts.begin(), facts.end(), copy), facts.end());
}

}  // namespace kmsdiag::correlation
