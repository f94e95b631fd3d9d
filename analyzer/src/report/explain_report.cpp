#include "report/explain_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

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
// Named, so a missing word is a compile error rather than every later label shifting by one.
const Words kEnglish{.meaning = "meaning",
                     .cause = "cause",
                     .fix = "first step",
                     .commands = "remediation",
                     .source = "source",
                     .translation = "translation checked against",
                     .references = "references",
                     .count_line = "counts on",
                     .key_group = "host key",
                     .host_license = "a KMS host's own licence (CSVLK): activated online, never by another KMS host"};
const Words kJapanese{
    .meaning = "意味",
    .cause = "原因",
    .fix = "最初の対処",
    .commands = "対処手順",
    .source = "出典",
    .translation = "翻訳の確認先",
    .references = "参考",
    .count_line = "カウント",
    .key_group = "ホスト キー",
    .host_license =
        "KMS ホスト自身のライセンス (CSVLK): オンラインでライセンス認証され、他の KMS ホストでは認証されません"};

void explanation_text(const Explanation& e, std::ostream& out) {
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

Json explanation_json(const Explanation& e) {
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

void render_explanations_text(const std::vector<Explanation>& explanations, std::ostream& out) {
  for (const Explanation& e : explanations) explanation_text(e, out);
}

void render_explanations_json(const std::vector<Explanation>& explanations, std::ostream& out) {
  Json all = Json::array();
  for (const Explanation& e : explanations) all.push_back(explanation_json(e));
  out << all.dump(2) << "\n";
}

}  // namespace kmsdiag
