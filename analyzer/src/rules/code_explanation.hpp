// `kmsdiag explain`: what the knowledge tables and rules say about one activation HRESULT or one Activation /
// SKU ID, offline, in English or (where texts-<lang>.yaml has the text) another language.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "knowledge/knowledge.hpp"
#include "rules/rule_set.hpp"

namespace kmsdiag {

struct ErrorExplanation {
  const ErrorInfo* info = nullptr;
  std::string meaning, fix;              // in the chosen language where translated, else English
  std::string translation_source;        // where the translated text was checked; "" when not translated
  std::string cause_description;         // "" when the code points to no cause
  std::vector<std::string> remediation;  // the remediation steps of every rule of that cause, each once
  std::vector<std::string> references;   // and their references
};

struct ProductExplanation {
  const ProductInfo* info = nullptr;
  const CountLine* count_line = nullptr;
  const KeyGroup* key_group = nullptr;  // the oldest host key group that activates it; null for a host SKU
};

struct Explanation {
  enum class Kind { error, product, unknown_code, unknown_guid, not_understood };
  Kind kind = Kind::not_understood;
  std::string query;      // as given
  std::string canonical;  // canonical code or GUID ("" when not understood)
  std::string language;   // "en" or the language asked for
  std::optional<ErrorExplanation> error;
  std::optional<ProductExplanation> product;
};

// `causes`: the cause catalog (rules/causes.yaml), id -> description.
Explanation explain(const std::string& query, const std::string& language, const Knowledge& kb, const RuleSet& rules,
                    const std::map<std::string, std::string>& causes);

// The language of the user's locale (LC_ALL, LC_MESSAGES, LANG): "ja" for ja_JP…, else "en".
std::string locale_language();

}  // namespace kmsdiag
