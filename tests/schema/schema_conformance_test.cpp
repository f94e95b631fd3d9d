// Runs the real pipeline over every sample fleet and the real corpus exports and checks every fact the
// rules see against rules/schema.yaml: its kind declared, each field declared for that kind, each
// non-empty value of the declared type. A violation means a rule written from records.md would silently
// miss (or mis-compare) real data. And the other way round: every kind the schema declares is one the code
// emits, so records.md never offers rules a kind they would wait for in vain.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/analysis_pipeline.hpp"
#include "knowledge/knowledge.hpp"
#include "rules/record_schema.hpp"
#include "rules/rule_set.hpp"

namespace kmsdiag {
namespace {

namespace fs = std::filesystem;

// Violation text ("kind.field = \"value\" (type)") -> occurrences.
using Violations = std::map<std::string, size_t>;

// "kind" and "kind.field" seen with a non-empty value: what the schema declares but nothing here shows is
// printed (not a failure: live probe kinds and rare events are in no sample, and not every sample shows every
// field; DeclaredKindsAreEmitted checks that some code yields each kind).
using Seen = std::set<std::string>;

void check_records(const RecordSchema& schema, const std::vector<Record>& records, Violations& out, Seen& seen) {
  for (const Record& r : records) {
    seen.insert(r.kind.str());
    for (const FieldView& f : r.fields)
      if (!f.value.empty()) seen.insert(r.kind + "." + std::string(f.key));
    const KindSpec* kind = schema.kind(r.kind);
    if (!kind) {
      ++out["kind " + r.kind + " (not declared)"];
      continue;
    }
    for (const FieldView& f : r.fields) {
      const FieldSpec* spec = schema.field(*kind, f.key);
      if (!spec)
        ++out[fmt::format("{}.{} (not declared)", r.kind, f.key)];
      else if (!f.value.empty() && !value_has_type(*spec, f.value))
        ++out[fmt::format("{}.{} = \"{}\" ({})", r.kind, f.key, f.value, value_type_name(spec->type))];
    }
  }
}

std::vector<std::vector<std::string>> inputs() {
  std::vector<std::vector<std::string>> runs;
  std::vector<fs::path> samples;
  for (const auto& e : fs::directory_iterator(fs::path(KMSDIAG_SOURCE_DIR) / "samples"))
    if (e.is_directory()) samples.push_back(e.path());
  std::sort(samples.begin(), samples.end());
  for (const fs::path& p : samples) runs.push_back({p.string()});
  std::vector<std::string> corpus;
  const fs::path real = fs::path(KMSDIAG_CORPUS_DIR) / "real";
  std::error_code ec;
  if (fs::is_directory(real, ec))
    for (const auto& e : fs::directory_iterator(real))
      if (e.path().extension() == ".evtx") corpus.push_back(e.path().string());
  std::sort(corpus.begin(), corpus.end());
  for (const std::string& p : corpus) runs.push_back({p});
  return runs;
}

TEST(SchemaConformance, EveryFactTheRulesSeeIsDeclaredAndTyped) {
  const std::string rules_dir = std::string(KMSDIAG_SOURCE_DIR) + "/rules";
  const Knowledge kb = Knowledge::load(rules_dir + "/tables");
  std::vector<RuleError> errors;
  RuleSet rules = RuleSet::load(rules_dir, errors);
  ASSERT_NE(rules.schema(), nullptr) << (errors.empty() ? "no schema" : errors.front().describe());

  Violations violations;
  Seen seen;
  size_t facts = 0;
  std::mutex mu;
  rules.set_record_observer([&](const std::vector<Record>& records) {
    const std::lock_guard lock(mu);
    facts += records.size();
    check_records(*rules.schema(), records, violations, seen);
  });
  const auto runs = inputs();
  ASSERT_FALSE(runs.empty());
  for (const auto& paths : runs) {
    PipelineOptions options;
    options.paths = paths;
    options.jobs = 2;
    run_analysis(options, kb, rules);
  }
  std::cout << "checked " << facts << " facts from " << runs.size() << " runs against rules/schema.yaml\n";
  std::string unseen;
  for (const SchemaSection& section : rules.schema()->sections)
    for (const KindSpec& k : section.kinds) {
      if (!seen.count(k.kind)) {
        unseen += " " + k.kind;
        continue;
      }
      for (const FieldSpec& f : k.fields)
        if (!seen.count(k.kind + "." + f.name)) unseen += " " + k.kind + "." + f.name;
    }
  std::cout << "declared but never seen with a value:" << unseen << "\n";
  std::string report;
  for (const auto& [what, count] : violations) report += "  " + what + " x" + std::to_string(count) + "\n";
  EXPECT_TRUE(violations.empty()) << violations.size() << " distinct schema violations in " << facts << " facts from "
                                  << runs.size() << " runs:\n"
                                  << report;
  EXPECT_GT(facts, 0u);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A kind is emitted when a source file names it as a string literal ("license.state": the interpreters,
// correlation and the live probes set Record::kind from literals) or an event layout yields it (`kind:` in
// rules/tables/event-layouts.yaml, read by the generic event interpreter).
TEST(SchemaConformance, DeclaredKindsAreEmitted) {
  const fs::path source(KMSDIAG_SOURCE_DIR);
  std::vector<RuleError> errors;
  const std::optional<RecordSchema> schema = load_record_schema((source / "rules" / "schema.yaml").string(), errors);
  ASSERT_TRUE(schema) << (errors.empty() ? "no schema" : errors.front().describe());

  std::set<std::string> emitted;
  const std::regex literal(R"re("([a-z]+(?:[.-][a-z]+)*)")re");
  for (const auto& e : fs::recursive_directory_iterator(source / "analyzer" / "src")) {
    if (e.path().extension() != ".cpp" && e.path().extension() != ".hpp") continue;
    const std::string text = read_text(e.path());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator(); ++it)
      emitted.insert((*it)[1]);
  }
  const std::string layouts = read_text(source / "rules" / "tables" / "event-layouts.yaml");
  const std::regex layout_kind(R"(\n\s*kind:\s*([a-z.-]+))");
  for (auto it = std::sregex_iterator(layouts.begin(), layouts.end(), layout_kind); it != std::sregex_iterator(); ++it)
    emitted.insert((*it)[1]);
  ASSERT_TRUE(emitted.count("activation.attempt")) << "the scan found no kind literal at all";

  std::string never;
  for (const SchemaSection& section : schema->sections)
    for (const KindSpec& k : section.kinds)
      if (!emitted.count(k.kind)) never += " " + k.kind;
  EXPECT_TRUE(never.empty()) << "rules/schema.yaml declares kinds that no code under analyzer/src and no event "
                                "layout emits (remove them, then regenerate records.md):"
                             << never;
}

}  // namespace
}  // namespace kmsdiag
