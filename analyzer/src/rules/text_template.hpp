// Message templates in rule files: literal text with {name} placeholders filled from a ValueLookup.
// "{{" and "}}" stand for literal braces. "{F|short}" renders a comma-separated field value as a
// shortened list (shorten_list), so a rule can cite a 40-machine list without flooding the report. Parsed once at load
// time so a malformed template is a load error, not a broken report.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/condition.hpp"

namespace kmsdiag {

// What a placeholder with no value renders as.
inline constexpr std::string_view kUnknownValue = "(unknown)";
// How many items a shortened list shows before "… and N more".
inline constexpr size_t kListItemsShown = 5;

// "a, b, c, d, e … and 3 more": the first kListItemsShown items, then how many were left out.
std::string shorten_list(const std::vector<std::string>& items);

class TextTemplate {
 public:
  TextTemplate() = default;
  // nullopt and `error` set when braces do not pair up or a placeholder is empty.
  static std::optional<TextTemplate> parse(std::string_view text, std::string& error);

  std::string render(const ValueLookup& values) const;
  std::vector<std::string> placeholders() const;
  bool empty() const { return parts_.empty(); }

 private:
  struct Part {
    std::string text;
    bool placeholder = false;
    bool shorten = false;  // "|short" filter
  };
  std::vector<Part> parts_;
};

}  // namespace kmsdiag
