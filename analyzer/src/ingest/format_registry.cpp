#include <algorithm>

#include "ingest/reader.hpp"

namespace kmsdiag {

const std::vector<FormatInfo>& formats() {
  static const std::vector<FormatInfo> all = {};
  return all;
}

const FormatInfo* detect_format(std::string_view raw_head, std::string_view utf8_head, const Knowledge& kb) {
  const FormatInfo* best = nullptr;
  int best_score = 0;
  for (const auto& f : formats()) {
    const int score = f.detect(f.text ? utf8_head : raw_head, kb);
    if (score > best_score) best = &f, best_score = score;
  }
  return best;
}

}  // namespace kmsdiag
