#include "report/html_text.hpp"

#include "model/printable_text.hpp"
#include "model/record.hpp"

namespace kmsdiag {

std::string html_escape(std::string_view text) {
  const std::string safe = printable(text);
  std::string out;
  out.reserve(safe.size() + safe.size() / 8);
  for (const char c : safe) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string html_day(int64_t ms) { return ms == kNoTime ? "" : format_time(ms).substr(0, 10); }

}  // namespace kmsdiag
