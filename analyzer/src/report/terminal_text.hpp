// Text building blocks of the terminal report: optional ANSI styling, number grouping and
// "N things, first K: … and M more" list summaries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/analysis.hpp"

namespace kmsdiag {

enum class Style { bold, dim, critical, error, warning, info, ok };

class Palette {
 public:
  explicit Palette(bool color) : color_(color) {}
  // The text wrapped in the style's ANSI codes, or unchanged when colour is off.
  std::string paint(std::string_view text, Style style) const;
  std::string paint(std::string_view text, Severity severity) const;

 private:
  bool color_;
};

// 5234 -> "5,234".
std::string group_digits(uint64_t n);

// "3 machines: A, B, C" or "41 machines, first 5: A, B, C, D, E … and 36 more". `total` may exceed
// items.size() when the list was already capped upstream.
std::string summarise_list(const std::vector<std::string>& items, uint64_t total, size_t sample,
                           std::string_view singular, std::string_view plural);

// "1 record" / "2 records".
std::string count_of(uint64_t n, std::string_view singular, std::string_view plural);

}  // namespace kmsdiag
