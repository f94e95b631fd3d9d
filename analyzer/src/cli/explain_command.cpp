#include "cli/explain_command.hpp"

#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/explanation.hpp"
#include "report/report.hpp"
#include "rules/rule_parser.hpp"

namespace kmsdiag {

namespace {

using Json = nlohmann::ordered_json;

// The few words of the text layout itself; the explanations are data (error-codes.yaml, texts-*.yaml).
struct Words {
  const char* meaning;
  const char* cause;
  const char* fix;
  const char* commands;
  const char* source;
  const char* translation;
  const char* references;
  const char* count_line;
  const char* key_group;
  const char* host_license;
};
const Words kEnglish{
    "meaning",     "cause",    "first step",
    "remediation", "source",   "references",
    "counts on",   "host key", "a KMS host's own licence (CSVLK): activated online, never by another KMS host"};
const Words kJapanese{
    "意味",
    "原因",
    "最初の対処",
    "対処手順",
    "出典",
    "参考",
    "カウント",
    "ホスト キー",
    "KMS ホスト自身のライセンス (CSVLK): オンラインでライセンス認証され、他の KMS ホストでは認証されません"};

std::string not_understood(const std::string& query) {
  return fmt::format(
      "'{}' is neither an activation error code (0xC004F074, C004F074, -1073418124) nor an "
      "Activation / SKU ID (a GUID)",
      query);
}

void print_text(const Explanation& e, std::ostream& out) {
  const Words& w = e.language == "ja" ? kJapanese : kEnglish;
  if (e.error) {
    const ErrorExplanation& x = *e.error;
    out << x.info->code << "  " << x.info->symbol << "\n";
    out << fmt::format("  {}: {}\n", w.meaning, x.meaning);
    if (!x.info->cause.empty()) out << fmt::format("  {}: {} — {}\n", w.cause, x.info->cause, x.cause_description);
    out << fmt::format("  {}: {}\n", w.fix, x.fix);
    if (!x.remediation.empty()) out << fmt::format("  {}:\n", w.commands);
    for (const auto& step : x.remediation) out << "    - " << step << "\n";
    if (!x.info->source.empty()) out << fmt::format("  {}: {}\n", w.source, x.info->source);
    if (!x.translation_source.empty()) out << fmt::format("  {}: {}\n", w.translation, x.translation_source);
    if (!x.references.empty()) out << fmt::format("  {}: {}\n", w.references, fmt::join(x.references, " "));
  } else if (e.product) {
    const ProductExplanation& p = *e.product;
    out << p.info->act_id << "  " << p.info->name << " (" << p.info->family << ")\n";
    if (p.info->kms_host) out << "  " << w.host_license << "\n";
    if (p.count_line != nullptr) {
      out << fmt::format("  {}: {} (cap {})", w.count_line, p.count_line->name, p.count_line->cap);
      if (!p.info->kms_host) out << fmt::format("; threshold {}", p.info->n_policy);
      out << "\n";
    }
    if (p.key_group != nullptr)
      out << fmt::format("  {}: {} ({}) or newer\n", w.key_group, p.key_group->name, p.key_group->id);
  }
}

Json to_json(const Explanation& e) {
  Json j;
  j["query"] = e.query;
  j["language"] = e.language;
  switch (e.kind) {
    case Explanation::Kind::error: {
      const ErrorExplanation& x = *e.error;
      j["kind"] = "error-code";
      j["code"] = x.info->code;
      j["symbol"] = x.info->symbol;
      j["meaning"] = x.meaning;
      j["fix"] = x.fix;
      j["kms"] = x.info->kms;
      j["cause"] =
          x.info->cause.empty() ? Json(nullptr) : Json{{"id", x.info->cause}, {"description", x.cause_description}};
      j["remediation"] = x.remediation;
      j["source"] = x.info->source.empty() ? Json(nullptr) : Json(x.info->source);
      j["translation_source"] = x.translation_source.empty() ? Json(nullptr) : Json(x.translation_source);
      j["references"] = x.references;
      break;
    }
    case Explanation::Kind::product: {
      const ProductExplanation& p = *e.product;
      j["kind"] = "activation-id";
      j["act_id"] = p.info->act_id;
      j["name"] = p.info->name;
      j["family"] = p.info->family;
      j["kms_host"] = p.info->kms_host;
      j["n_policy"] = p.info->kms_host ? Json(nullptr) : Json(p.info->n_policy);
      j["count_line"] = p.count_line == nullptr
                            ? Json(nullptr)
                            : Json{{"id", p.count_line->id}, {"name", p.count_line->name}, {"cap", p.count_line->cap}};
      j["key_group"] =
          p.key_group == nullptr ? Json(nullptr) : Json{{"id", p.key_group->id}, {"name", p.key_group->name}};
      break;
    }
    case Explanation::Kind::unknown_code:
    case Explanation::Kind::unknown_guid:
      j["kind"] = e.kind == Explanation::Kind::unknown_code ? "error-code" : "activation-id";
      j["canonical"] = e.canonical;
      j["found"] = false;
      break;
    case Explanation::Kind::not_understood:
      j["kind"] = nullptr;
      j["found"] = false;
      break;
  }
  return j;
}

}  // namespace

ExplainCommand::ExplainCommand(CLI::App& app)
    : cmd_(app.add_subcommand("explain",
                              "What an activation error code or an Activation / SKU ID means, from the knowledge "
                              "tables (offline)")) {
  cmd_->add_option("queries", queries_, "HRESULTs (0xC004F074, C004F074, -1073418124) or Activation IDs (GUIDs)")
      ->required();
  cmd_->add_option("--format", format_, "Output format")->check(CLI::IsMember({"text", "json"}));
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
  Json all = Json::array();
  for (const auto& query : queries_) {
    const Explanation e = explain(query, language, kb, rules, *causes);
    if (e.kind == Explanation::Kind::not_understood) {
      std::cerr << "kmsdiag: " << not_understood(query) << "\n";
      rc = kExitUsage;
    } else if (e.kind == Explanation::Kind::unknown_code || e.kind == Explanation::Kind::unknown_guid) {
      std::cerr << fmt::format("kmsdiag: {} is not in the knowledge tables ({}/tables/{})\n", e.canonical, rules_dir,
                               e.kind == Explanation::Kind::unknown_code ? "error-codes.yaml" : "products.yaml");
      if (rc == kExitOk) rc = kExitFindings;
    }
    if (format_ == "json") {
      all.push_back(to_json(e));
    } else {
      print_text(e, std::cout);
    }
  }
  if (format_ == "json") std::cout << all.dump(2) << "\n";
  return rc;
}

}  // namespace kmsdiag
