#include "rules/code_explanation.hpp"

#include <algorithm>
#include <cstdlib>

#include "rules/rule.hpp"

namespace kmsdiag {

namespace {

void add_once(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

ErrorExplanation explain_error(const ErrorInfo& info, const std::string& language, const Knowledge& kb,
                               const RuleSet& rules, const std::map<std::string, std::string>& causes) {
  ErrorExplanation e;
  e.info = &info;
  e.meaning = info.meaning;
  e.fix = info.fix;
  const auto texts = kb.texts.find(language);
  if (texts != kb.texts.end()) {
    if (const auto row = texts->second.errors.find(info.code); row != texts->second.errors.end()) {
      e.meaning = row->second.meaning;
      e.fix = row->second.fix;
      e.translation_source = row->second.source;
    }
  }
  if (info.cause.empty()) return e;
  if (const auto c = causes.find(info.cause); c != causes.end()) e.cause_description = c->second;
  if (texts != kb.texts.end())
    if (const auto c = texts->second.causes.find(info.cause); c != texts->second.causes.end())
      e.cause_description = c->second;
  for (const auto& rule : rules.rules()) {
    if (rule->cause != info.cause) continue;
    for (const auto& step : rule->remediation) add_once(e.remediation, step);
    for (const auto& url : rule->references) add_once(e.references, url);
  }
  return e;
}

}  // namespace

Explanation explain(const std::string& query, const std::string& language, const Knowledge& kb, const RuleSet& rules,
                    const std::map<std::string, std::string>& causes) {
  Explanation out;
  out.query = query;
  out.language = language;
  // A GUID first: "00091344-…" is never a code, but an 8-hex-digit code is never a GUID either.
  if (std::string guid = Knowledge::canonical_guid(query); !guid.empty()) {
    out.canonical = guid;
    const ProductInfo* p = kb.product(guid);
    if (p == nullptr) {
      out.kind = Explanation::Kind::unknown_guid;
      return out;
    }
    out.kind = Explanation::Kind::product;
    out.product = ProductExplanation{p, kb.count_line_of(guid), p->kms_host ? nullptr : kb.key_group(p->min_key_group)};
    return out;
  }
  if (std::string code = Knowledge::canonical_code(query); !code.empty()) {
    out.canonical = code;
    const ErrorInfo* info = kb.error(code);
    if (info == nullptr) {
      out.kind = Explanation::Kind::unknown_code;
      return out;
    }
    out.kind = Explanation::Kind::error;
    out.error = explain_error(*info, language, kb, rules, causes);
  }
  return out;
}

std::string locale_language() {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') continue;
    return std::string(value).rfind("ja", 0) == 0 ? "ja" : "en";
  }
  return "en";
}

}  // namespace kmsdiag
