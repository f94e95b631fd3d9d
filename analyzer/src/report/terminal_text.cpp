#include "report/terminal_text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace kmsdiag {

std::string Palette::paint(std::string_view text, Style style) const {
  if (!color_) return std::string(text);
  std::string_view code;
  switch (style) {
    case Style::bold:
      code = "1";
      break;
    case Style::dim:
      code = "2";
      break;
    case Style::critical:
      code = "1;31";
      break;
    case Style::error:
      code = "31";
      break;
    case Style::warning:
      code = "33";
      break;
    case Style::info:
      code = "36";
      break;
    case Style::ok:
      code = "32";
      break;
  }
  return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

std::string Palette::paint(std::string_view text, Severity severity) const {
  switch (severity) {
    case Severity::critical:
      return paint(text, Style::critical);
    case Severity::error:
      return paint(text, Style::error);
    case Severity::warning:
      return paint(text, Style::warning);
    case Severity::info:
      return paint(text, Style::info);
  }
  return std::string(text);
}

std::string group_digits(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string count_of(uint64_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", group_digits(n), n == 1 ? singular : plural);
}

std::string summarise_list(const std::vector<std::string>& items, uint64_t total, size_t sample,
                           std::string_view singular, std::string_view plural) {
  total = std::max<uint64_t>(total, items.size());
  const size_t shown = std::min(items.size(), sample);
  std::string head = count_of(total, singular, plural);
  if (shown == 0) return head;
  head += shown < total ? fmt::format(", first {}: ", shown) : ": ";
  head += fmt::format("{}", fmt::join(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(shown), ", "));
  if (shown < total) head += fmt::format(" … and {} more", group_digits(total - shown));
  return head;
}

}  // namespace kmsdiag
