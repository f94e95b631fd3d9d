// Recognises the lines of localized command output ("License Status: Licensed",
// "ライセンスの状態: ライセンスされています", "许可证状态: 已授权") through a label table from the
// knowledge base, so supporting another language is a data change (rules/tables/labels-*.yaml).
//
// A table maps label text to a canonical key. Two key forms exist:
//   key          the line is "<label><sep><value>"; sep is any run of ':', '：', '=' and spaces
//   key=value    the whole line is the label ("DNS publishing enabled" -> dns_publishing=1)
// The longest label that starts the line wins, compared ignoring ASCII case and leading blanks.
// A label written "*label" is one that follows its value, for languages whose word order puts
// the value first ("<product> のライセンス認証を行っています..."): it matches anywhere in a line no
// label starts, and the value is the text before it, then the text after it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/knowledge.hpp"

namespace kmsdiag {

struct LabeledLine {
  std::string key;     // canonical key ("license_status")
  std::string value;   // text after the label, or the fixed value of a key=value label
  bool fixed = false;  // the label carried its own value (key=value form)
};

class LabelMatcher {
 public:
  // `table` may be null (table not loaded): then nothing matches.
  explicit LabelMatcher(const std::map<std::string, std::string>* table);
  // Builds from kb.labels(name) and kb.labels(name + ".values").
  LabelMatcher(const Knowledge& kb, std::string_view name);

  std::optional<LabeledLine> match(std::string_view line) const;
  // The canonical value for a localized value text ("Licensed" -> "1"); nullopt when unknown.
  std::optional<std::string> value(std::string_view text) const;
  // The canonical value of the longest value text that occurs anywhere in `text` (status phrases
  // inside a sentence: "*** dc1 can't find x: Non-existent domain" -> "nxdomain").
  std::optional<std::string> find_value(std::string_view text) const;
  bool empty() const { return labels_.empty(); }

 private:
  struct Entry {
    std::string folded;  // label, ASCII lower-cased
    std::string key;
    std::string fixed_value;
    bool fixed = false;
    bool inner = false;  // "*label": follows its value
  };
  void add_labels(const std::map<std::string, std::string>* table);
  std::vector<Entry> labels_;                  // longest first
  bool has_inner_ = false;                     // some label is "*label"
  std::map<std::string, std::string> values_;  // folded value text -> canonical
};

// Leading blanks (ASCII whitespace and U+3000 IDEOGRAPHIC SPACE) removed.
std::string_view strip_leading_blanks(std::string_view text);
// Trailing ASCII whitespace removed.
std::string_view strip_trailing_blanks(std::string_view text);
// Console columns a line occupies: CJK and other wide characters count two.
size_t display_columns(std::string_view utf8);
// The first HRESULT-looking token ("0xc004f074", "0xC004F056.") as canonical "0xC004F056"; "" if none.
std::string find_hresult(std::string_view text);
// The head of a text input split into lines (CR dropped), at most `max_lines`.
std::vector<std::string_view> head_lines(std::string_view head, size_t max_lines = 200);

}  // namespace kmsdiag
