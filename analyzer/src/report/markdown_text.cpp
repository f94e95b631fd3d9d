#include "report/markdown_text.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "model/printable_text.hpp"

namespace kmsdiag {

std::string markdown_text(std::string_view text) {
  // CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that start markup
  // anywhere in a line (emphasis, code, links, images, HTML, entities, tables, strikethrough, headings).
  static constexpr std::string_view kSpecial = "\\`*_[]<>|~!&#@";
  const std::string safe = printable(text);
  std::string out;
  out.reserve(safe.size() + 8);
  for (size_t i = 0; i < safe.size(); ++i) {
    const char c = safe[i];
    // GitHub also links bare "scheme://..." and "www.": a backslash before "://" or after "www" stops it.
    const bool scheme = c == ':' && safe.compare(i, 3, "://") == 0;
    const bool www = c == '.' && i >= 3 && (i == 3 || !std::isalnum(static_cast<unsigned char>(safe[i - 4]))) &&
                     (safe.compare(i - 3, 3, "www") == 0 || safe.compare(i - 3, 3, "WWW") == 0);
    if (scheme || www || kSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  // At the start of a line a few more characters make a list, a quote, a heading or a rule: "- x", "+ x",
  // "1. x", "= x". The text is one line, so only its start matters.
  size_t digits = 0;
  while (digits < out.size() && out[digits] >= '0' && out[digits] <= '9') ++digits;
  if (digits > 0 && digits < out.size() && (out[digits] == '.' || out[digits] == ')'))
    out.insert(digits, "\\");
  else if (!out.empty() && (out[0] == '-' || out[0] == '+' || out[0] == '='))
    out.insert(0, "\\");
  return out;
}

std::string markdown_fence(const std::vector<std::string>& lines, std::string_view info) {
  size_t longest = 0;
  std::vector<std::string> safe;
  for (const std::string& line : lines) {
    safe.push_back(printable(line));
    size_t run = 0;
    for (char c : safe.back()) {
      run = c == '`' ? run + 1 : 0;
      longest = std::max(longest, run);
    }
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  std::string out = fence + std::string(info) + "\n";
  for (const std::string& line : safe) out += line + "\n";
  return out + fence + "\n";
}

}  // namespace kmsdiag
