#include "cli/explain_command.hpp"

#include <fmt/format.h>

#include <iostream>

#include "report/renderer_registry.hpp"
#include "report/report.hpp"
#include "rules/code_explanation.hpp"
#include "rules/rule_parser.hpp"

namespace kmsdiag {

namespace {

std::string not_understood(const std::string& query) {
  return fmt::format(
      "'{}' is neither an activation error code (0xC004F074, C004F074, -1073418124) nor an "
      "Activation / SKU ID (a GUID)",
      query);
}

}  // namespace

ExplainCommand::ExplainCommand(CLI::App& app)
    : cmd_(app.add_subcommand("explain",
                              "What an activation error code or an Activation / SKU ID means, from the knowledge "
                              "tables (offline)")) {
  cmd_->add_option("queries", queries_, "HRESULTs (0xC004F074, C004F074, -1073418124) or Activation IDs (GUIDs)")
      ->required();
  cmd_->add_option("--format", format_, "Output format")->check(CLI::IsMember(format_names(Document::explanation)));
  cmd_->add_option("--lang", language_, "Language of the explanation (default: from LC_ALL / LC_MESSAGES / LANG)")
      ->check(CLI::IsMember({"en", "ja"}));
}

int ExplainCommand::run(const std::string& rules_dir, const Knowledge& kb, const RuleSet& rules) const {
  const std::string language = language_.empty() ? locale_language() : language_;
  std::vector<RuleError> errors;
  const std::optional<CauseCatalog> causes = load_cause_catalog(rules_dir + "/" + kCauseCatalogFile, errors);
  if (!causes) {
    for (const auto& e : errors) std::cerr << "kmsdiag: " << e.describe() << "\n";
    return kExitConfig;
  }
  int rc = kExitOk;
  std::vector<Explanation> explanations;
  for (const auto& query : queries_) {
    const Explanation& e = explanations.emplace_back(explain(query, language, kb, rules, *causes));
    if (e.kind == Explanation::Kind::not_understood) {
      std::cerr << "kmsdiag: " << not_understood(query) << "\n";
      rc = kExitUsage;
    } else if (e.kind == Explanation::Kind::unknown_code || e.kind == Explanation::Kind::unknown_guid) {
      std::cerr << fmt::format("kmsdiag: {} is not in the knowledge tables ({}/tables/{})\n", e.canonical, rules_dir,
                               e.kind == Explanation::Kind::unknown_code ? "error-codes.yaml" : "products.yaml");
      if (rc == kExitOk) rc = kExitFindings;
    }
  }
  find_renderer(format_, Document::explanation)->explanations(explanations, std::cout);
  return rc;
}

}  // namespace kmsdiag
