#include "rules/text_template.hpp"

namespace kmsdiag {

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
    const std::string_view name = trim(text.substr(i + 1, close - i - 1));
    if (name.empty() || name.find('{') != std::string_view::npos) {
      error = "empty or malformed placeholder in template";
      return std::nullopt;
    }
    if (!literal.empty()) t.parts_.push_back({std::move(literal), false});
    literal.clear();
    t.parts_.push_back({std::string(name), true});
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
    out += v && !trim(*v).empty() ? *v : kUnknownValue;
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
