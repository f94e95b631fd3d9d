// Shared helpers for the rule tests: a scratch rules folder with a small cause catalog, and a
// compact way to build records.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "model/record.hpp"
#include "rules/rule_set.hpp"

namespace kmsdiag::testing {

class ScratchRules {
 public:
  ScratchRules() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("kmsdiag-rules-" + std::string(info->test_suite_name()) + "-" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    write("causes.yaml",
          "causes:\n"
          "  - {id: root, description: A root cause}\n"
          "  - {id: symptom, description: What the root cause shows as}\n"
          "  - {id: other, description: Something else}\n");
  }
  ~ScratchRules() { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) const { std::ofstream(dir_ / name) << text; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // The engine tests use made-up kinds (a, b, ...): no schema check unless a test asks for it.
  RuleSet load(std::vector<RuleError>& errors, SchemaCheck check = SchemaCheck::off) const {
    return RuleSet::load(dir_.string(), errors, check);
  }
  // Loads, failing the test on any error.
  RuleSet load_clean() const {
    std::vector<RuleError> errors;
    RuleSet set = load(errors);
    for (const auto& e : errors) ADD_FAILURE() << e.describe();
    return set;
  }

 private:
  std::filesystem::path dir_;
};

// A rule file `id.yaml` with the given match block (indented under `match:`) and explain text; the
// examples are trivial so the file loads.
inline std::string rule_text(const std::string& id, const std::string& match, const std::string& explain = "x",
                             const std::string& extra = "") {
  return "id: " + id + "\ncause: root\nseverity: error\ntitle: T\nmatch:\n" + match + "explain: \"" + explain +
         "\"\nremediation: [fix it]\n" + extra + "examples:\n  positive: [{kind: a}]\n  negative: [{kind: b}]\n";
}

inline Record rec(std::string kind, std::string machine, std::string time,
                  std::initializer_list<std::pair<const char*, const char*>> fields = {}) {
  Record r;
  r.kind = std::move(kind);
  r.machine = std::move(machine);
  if (!time.empty()) r.time_ms = parse_iso8601(time).value();
  r.source = {"input.evtx", "record", 1, ""};
  for (const auto& [k, v] : fields) r.set(k, v);
  return r;
}

}  // namespace kmsdiag::testing
