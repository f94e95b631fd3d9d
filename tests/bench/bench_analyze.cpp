// The whole analysis as `kmsdiag analyze` runs it (bundled rules and tables), printing what the report
// does not show: facts interpreted and kept (equal unless an input repeats another), and per KMS host its
// requests and 30-day counts. tests/bench/run_all.sh compares them with the generator's truth.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "cli/analysis_pipeline.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE...\n", argv[0]);
    return 2;
  }
  kmsdiag::PipelineOptions options;
  options.paths.assign(argv + 1, argv + argc);
  options.on_facts = [](uint64_t interpreted, uint64_t kept) {
    std::printf("facts interpreted %llu kept %llu\n", static_cast<unsigned long long>(interpreted),
                static_cast<unsigned long long>(kept));
  };
  auto kb = kmsdiag::Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  std::vector<kmsdiag::RuleError> errors;
  kmsdiag::RuleSet rules = kmsdiag::RuleSet::load(KMSDIAG_SOURCE_DIR "/rules", errors);
  kmsdiag::count_only_unread_facts(kb, rules);
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.describe().c_str());
  rules.set_record_observer([](const std::vector<kmsdiag::Record>& records) {
    std::map<std::string, uint64_t> kinds;
    for (const auto& r : records) ++kinds[r.kind.str()];
    for (const auto& [kind, n] : kinds)
      std::printf("records %s %llu\n", kind.c_str(), static_cast<unsigned long long>(n));
    for (const auto& r : records) {
      if (r.kind != "kms.host" && r.kind != "dataset") continue;
      std::printf("%s %s", r.kind.c_str(), r.machine.c_str());
      for (const auto& f : r.fields)
        std::printf(" %.*s=%.*s", static_cast<int>(f.key.size()), f.key.data(), static_cast<int>(f.value.size()),
                    f.value.data());
      std::printf("\n");
    }
  });
  const kmsdiag::Analysis analysis = kmsdiag::run_analysis(options, kb, rules);
  std::printf("findings %zu\n", analysis.findings.size());
  return errors.empty() ? 0 : 1;
}
