// Turns ingested records (raw events, command output) into KMS facts.
// One event in, zero or more facts out; unknown events are only counted.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "knowledge/knowledge.hpp"
#include "model/record.hpp"
#include "model/unread_facts.hpp"

namespace kmsdiag {

class Interpreter {
 public:
  // Where the kinds of records not used go (see ignored()); by default, counted here.
  using IgnoredCounter = std::function<void(const std::string& kind)>;
  // Where the facts nothing reads go (EventLayout::counted_only): their kind and time; by default, unread().
  using UnreadCounter = std::function<void(std::string_view kind, int64_t time_ms)>;

  explicit Interpreter(const Knowledge& kb, IgnoredCounter counter = {}, UnreadCounter unread = {})
      : kb_(kb), counter_(std::move(counter)), unread_counter_(std::move(unread)) {}
  // Appends the facts `in` yields to `out`; returns false when `in` carries nothing KMS-related. An event
  // whose layout is counted_only is KMS-related but yields no fact: it is counted as unread instead.
  bool interpret(const Record& in, std::vector<Record>& out);
  // Counts an event a reader found not about activation without building it (UnusedEvent::key).
  void count_unused(const std::string& key) { ignore(key); }
  // "Application 1033" / "slmgr-text" -> how many records were not used (empty with a counter of its
  // own: a caller that counts kinds in the order they come).
  const std::map<std::string, uint64_t>& ignored() const { return ignored_; }
  const UnreadFacts& unread() const { return unread_; }  // empty with a counter of its own
  // KMS events whose payload could not be decoded since the last call, each naming the record:
  // an input problem the user must see, not a silent skip.
  std::vector<Problem> take_problems() { return std::exchange(problems_, {}); }

 private:
  void ignore(const std::string& kind);

  const Knowledge& kb_;
  IgnoredCounter counter_;
  UnreadCounter unread_counter_;
  std::map<std::string, uint64_t> ignored_;
  UnreadFacts unread_;
  std::vector<Problem> problems_;
};

}  // namespace kmsdiag
