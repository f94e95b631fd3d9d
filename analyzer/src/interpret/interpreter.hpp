// Turns ingested records (raw events, command output) into KMS facts.
// One event in, zero or more facts out; unknown events are only counted.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "knowledge/knowledge.hpp"
#include "model/record.hpp"

namespace kmsdiag {

class Interpreter {
 public:
  // Where the kinds of records not used go (see ignored()); by default, counted here.
  using IgnoredCounter = std::function<void(const std::string& kind)>;

  explicit Interpreter(const Knowledge& kb, IgnoredCounter counter = {}) : kb_(kb), counter_(std::move(counter)) {}
  // Appends the facts `in` yields to `out`; returns false when `in` carries nothing KMS-related.
  bool interpret(const Record& in, std::vector<Record>& out);
  // Counts an event a reader found not about activation without building it (UnusedEvent::key).
  void count_unused(const std::string& key) { ignore(key); }
  // "Application 1033" / "slmgr-text" -> how many records were not used (empty with a counter of its
  // own: a caller that counts kinds in the order they come).
  const std::map<std::string, uint64_t>& ignored() const { return ignored_; }
  // KMS events whose payload could not be decoded since the last call, each naming the record:
  // an input problem the user must see, not a silent skip.
  std::vector<Problem> take_problems() { return std::exchange(problems_, {}); }

 private:
  void ignore(const std::string& kind);

  const Knowledge& kb_;
  IgnoredCounter counter_;
  std::map<std::string, uint64_t> ignored_;
  std::vector<Problem> problems_;
};

}  // namespace kmsdiag
