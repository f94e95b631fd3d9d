#include "rules/text_template.hpp"

#include <fmt/format.h>

namespace kmsdiag {

std::string shorten_list(const std::vector<std::string>& items) {
  const size_t shown = std::min(items.size(), kListItemsShown);
  std::string out = fmt::format("{}", fmt::join(items.begin(), items.begin() + static_cast<long>(shown), ", "));
  if (items.size() > shown) out += fmt::format(" … and {} more", items.size() - shown);
  return out;
}

std::optional<TextTemplate> TextTemplate::parse(std::string_view text, std::string& error) {
  TextTemplate t;
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal += c;
      ++i;
      continue;
    }
    if (c == '}') {
      error = "unmatched '}' in template (write '}}' for a literal brace)";
      return std::nullopt;
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    const size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos) {
      error = "unclosed '{' in template (write '{{' for a literal brace)";
      return std::nullopt;
    }
    std::string_view name = trim(text.substr(i + 1, close - i - 1));
    bool shorten = false;
    if (const size_t bar = name.find('|'); bar != std::string_view::npos) {
      if (trim(name.substr(bar + 1)) != "short") {
        error = "unknown template filter '" + std::string(trim(name.substr(bar + 1))) + "' (only '|short' exists)";
        return std::nullopt;
      }
      shorten = true;
      name = trim(name.substr(0, bar));
    }
    if (name.empty() || name.find('{') != std::string_view::npos) {
      error = "empty or malformed placeholder in template";
      return std::nullopt;
    }
    if (!literal.empty()) t.parts_.push_back({std::move(literal), false});
    literal.clear();
    t.parts_.push_back({std::string(name), true, shorten});
    i = close;
  }
  if (!literal.empty()) t.parts_.push_back({std::move(literal), false});
  return t;
}

std::string TextTemplate::render(const ValueLookup& values) const {
  std::string out, scratch;
  for (const Part& p : parts_) {
    if (!p.placeholder) {
      out += p.text;
      continue;
    }
    const std::optional<std::string_view> v = values.get(p.text, scratch);
    if (!v || trim(*v).empty()) {
      out += kUnknownValue;
    } else if (p.shorten) {
      std::vector<std::string> items;
      std::string_view rest = *v;
      while (!rest.empty()) {
        const size_t comma = rest.find(',');
        const std::string_view item = trim(rest.substr(0, comma));
        if (!item.empty()) items.emplace_back(item);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
      out += shorten_list(items);
    } else {
      out += *v;
    }
  }
  return out;
}

std::vector<std::string> TextTemplate::placeholders() const {
  std::vector<std::string> out;
  for (const Part& p : parts_)
    if (p.placeholder) out.push_back(p.text);
  return out;
}

}  // namespace kmsdiag
