// `kmsdiag explain <code or Activation ID>…`: the knowledge tables offline (rules/code_explanation.hpp), as text or
// JSON.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "knowledge/knowledge.hpp"
#include "rules/rule_set.hpp"

namespace kmsdiag {

class ExplainCommand {
 public:
  explicit ExplainCommand(CLI::App& app);  // registers `explain`
  ExplainCommand(const ExplainCommand&) = delete;
  ExplainCommand& operator=(const ExplainCommand&) = delete;

  bool selected() const { return cmd_->parsed(); }
  // Exit code: 0 every query explained, 1 some code or GUID is not in the tables, 64 some query is neither.
  int run(const std::string& rules_dir, const Knowledge& kb, const RuleSet& rules) const;

 private:
  CLI::App* cmd_;
  std::vector<std::string> queries_;
  std::string format_ = "text";
  std::string language_;
};

}  // namespace kmsdiag
