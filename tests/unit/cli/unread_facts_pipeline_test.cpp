// `kmsdiag analyze` counts the facts no rule and no correlation step reads instead of building them
// (count_only_unread_facts). Its report must be, byte for byte, the one that building every fact gives;
// and a rule that reads such a kind must get its facts back.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "cli/analysis_pipeline.hpp"
#include "report/renderer_registry.hpp"

namespace kmsdiag {
namespace {

namespace fs = std::filesystem;

const std::string kRules = KMSDIAG_SOURCE_DIR "/rules";

struct Report {
  std::string json;
  std::map<std::string, std::string> dataset;  // the dataset record's fields, and its time
  uint64_t interpreted = 0;
  std::vector<Record> seen;  // records of `kind` the rules saw
};

Report analyse(const std::vector<std::string>& paths, const Knowledge& kb, RuleSet& rules, std::string_view kind = "") {
  Report run;
  rules.set_record_observer([&](const std::vector<Record>& records) {
    for (const Record& r : records) {
      if (r.kind == kind) run.seen.push_back(r);
      if (r.kind != "dataset") continue;
      for (const FieldView& f : r.fields) run.dataset[std::string(f.key)] = f.value;
      run.dataset["(time)"] = format_time(r.time_ms);
    }
  });
  PipelineOptions options;
  options.paths = paths;
  options.jobs = 2;
  options.on_facts = [&run](uint64_t interpreted, uint64_t) { run.interpreted = interpreted; };
  const Analysis analysis = run_analysis(options, kb, rules);
  std::ostringstream out;
  find_renderer("json", Document::analysis)->analysis(analysis, out, TerminalOptions{});
  run.json = out.str();
  return run;
}

std::vector<std::vector<std::string>> inputs() {
  std::vector<std::vector<std::string>> runs;
  for (const auto& e : fs::directory_iterator(fs::path(KMSDIAG_SOURCE_DIR) / "samples"))
    if (e.is_directory()) runs.push_back({e.path().string()});
  const fs::path real = fs::path(KMSDIAG_CORPUS_DIR) / "real";
  std::error_code ec;
  if (fs::is_directory(real, ec)) {
    runs.push_back({real.string()});
    for (const auto& e : fs::directory_iterator(real))
      if (e.path().extension() == ".evtx") runs.push_back({e.path().string()});
  }
  return runs;
}

TEST(CountedOnlyFacts, TheReportIsTheOneEveryFactBuiltGives) {
  const Knowledge every = Knowledge::load(kRules + "/tables");
  Knowledge counting = Knowledge::load(kRules + "/tables");
  std::vector<RuleError> errors;
  RuleSet every_rules = RuleSet::load(kRules, errors);
  RuleSet counting_rules = RuleSet::load(kRules, errors);
  ASSERT_TRUE(errors.empty()) << errors.front().describe();
  count_only_unread_facts(counting, counting_rules);

  uint64_t built = 0, counted_only = 0;
  for (const auto& paths : inputs()) {
    SCOPED_TRACE(paths.front());
    const Report a = analyse(paths, every, every_rules), b = analyse(paths, counting, counting_rules);
    EXPECT_EQ(b.json, a.json);
    EXPECT_EQ(b.dataset, a.dataset);
    EXPECT_LE(b.interpreted, a.interpreted);
    built += a.interpreted;
    counted_only += b.interpreted;
  }
  EXPECT_LT(counted_only, built);  // some facts were counted, not built
}

// A rules folder the shipped one plus a rule of its own.
class CountedOnlyRulesCopy : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kmsdiag-unread-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::copy(kRules, dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CountedOnlyRulesCopy, ARuleThatReadsAKindGetsItsFacts) {
  std::ofstream(dir_ / "spp-service-stopped.yaml") << R"(id: spp-service-stopped
cause: evidence-gap
severity: info
title: The Software Protection service stopped
match:
  kind: spp.service
  where:
    state: stopped
  group_by: [machine]
explain: "The service stopped on {group.machine}."
remediation:
  - "None: a local rule"
examples:
  positive:
    - {kind: spp.service, machine: PC1, state: stopped, version: ""}
  negative:
    - {kind: spp.service, machine: PC1, state: started, version: "10.0"}
)";
  Knowledge kb = Knowledge::load((dir_ / "tables").string());
  std::vector<RuleError> errors;
  RuleSet rules = RuleSet::load(dir_.string(), errors);
  ASSERT_TRUE(errors.empty()) << errors.front().describe();
  count_only_unread_facts(kb, rules);
  EXPECT_FALSE(kb.event_layouts.find("903")->counted_only);
  EXPECT_TRUE(kb.event_layouts.find("16384")->counted_only);  // still read by nothing

  const Report run =
      analyse({std::string(KMSDIAG_CORPUS_DIR) + "/real/spp-noise-Application.evtx"}, kb, rules, "spp.service");
  ASSERT_FALSE(run.seen.empty());
  EXPECT_NE(run.json.find("\"spp-service-stopped\""), std::string::npos);
}

}  // namespace
}  // namespace kmsdiag
