#include "ingest/labeled_text.hpp"

#include <algorithm>
#include <cctype>

#include "model/record.hpp"

namespace kmsdiag {
namespace {

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000
constexpr std::string_view kFullwidthColon = "\xEF\xBC\x9A";    // U+FF1A

bool starts_with_folded(std::string_view text, std::string_view folded_prefix) {
  if (text.size() < folded_prefix.size()) return false;
  for (size_t i = 0; i < folded_prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != static_cast<unsigned char>(folded_prefix[i])) return false;
  }
  return true;
}

// Skips the separator between a label and its value: blanks, ':', '：' and '='.
std::string_view skip_separator(std::string_view rest) {
  for (;;) {
    if (!rest.empty() && (rest[0] == ':' || rest[0] == '=' || std::isspace(static_cast<unsigned char>(rest[0])))) {
      rest.remove_prefix(1);
    } else if (rest.starts_with(kFullwidthColon) || rest.starts_with(kIdeographicSpace)) {
      rest.remove_prefix(3);
    } else {
      return rest;
    }
  }
}

// A label must end at a word boundary: "Name" must not claim "Names of things".
bool at_boundary(std::string_view rest, std::string_view label) {
  if (rest.empty() || label.empty()) return true;
  const unsigned char last = static_cast<unsigned char>(label.back());
  const unsigned char next = static_cast<unsigned char>(rest[0]);
  const bool last_word = std::isalnum(last) || last == '_';
  const bool next_word = std::isalnum(next) || next == '_';
  return !(last_word && next_word);
}

}  // namespace

LabelMatcher::LabelMatcher(const std::map<std::string, std::string>* table) { add_labels(table); }

LabelMatcher::LabelMatcher(const Knowledge& kb, std::string_view name) {
  add_labels(kb.labels(name));
  if (const auto* values = kb.labels(std::string(name) + ".values")) {
    for (const auto& [text, canonical] : *values) values_[ascii_lower(trim(text))] = canonical;
  }
}

void LabelMatcher::add_labels(const std::map<std::string, std::string>* table) {
  if (!table) return;
  for (const auto& [label, key] : *table) {
    Entry e;
    e.folded = ascii_lower(trim(label));
    if (e.folded.starts_with('*')) {
      e.folded = std::string(trim(std::string_view(e.folded).substr(1)));
      e.inner = true;
      has_inner_ = true;
    }
    if (e.folded.empty()) continue;
    if (const size_t eq = key.find('='); eq != std::string::npos) {
      e.key = key.substr(0, eq);
      e.fixed_value = key.substr(eq + 1);
      e.fixed = true;
    } else {
      e.key = key;
    }
    labels_.push_back(std::move(e));
  }
  std::stable_sort(labels_.begin(), labels_.end(),
                   [](const Entry& a, const Entry& b) { return a.folded.size() > b.folded.size(); });
}

std::optional<LabeledLine> LabelMatcher::match(std::string_view line) const {
  const std::string_view text = strip_trailing_blanks(strip_leading_blanks(line));
  for (const auto& e : labels_) {
    if (e.inner || !starts_with_folded(text, e.folded)) continue;
    const std::string_view rest = text.substr(e.folded.size());
    if (!at_boundary(rest, e.folded)) continue;
    const std::string_view value = skip_separator(rest);
    if (e.fixed) {
      // A fixed label is a whole line; tolerate only closing punctuation after it.
      if (value.find_first_not_of(".:") != std::string_view::npos && value != "\xE3\x80\x82") continue;
      return LabeledLine{e.key, e.fixed_value, true};
    }
    return LabeledLine{e.key, std::string(value), false};
  }
  // No label starts the line: a label inside it, with its value before it (and any text after it).
  if (!has_inner_) return std::nullopt;
  const std::string folded = ascii_lower(text);
  for (const auto& e : labels_) {
    if (!e.inner) continue;
    const size_t at = folded.find(e.folded);
    if (at == std::string::npos || trim(text.substr(0, at)).empty()) continue;
    if (e.fixed) return LabeledLine{e.key, e.fixed_value, true};
    std::string value(trim(text.substr(0, at)));
    if (const std::string_view after = trim(text.substr(at + e.folded.size())); !after.empty())
      value.append(" ").append(after);
    return LabeledLine{e.key, std::move(value), false};
  }
  return std::nullopt;
}

std::optional<std::string> LabelMatcher::value(std::string_view text) const {
  std::string_view t = trim(text);
  while (!t.empty() && t.back() == '.') t.remove_suffix(1);  // "Non-genuine grace period."
  const auto it = values_.find(ascii_lower(t));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> LabelMatcher::find_value(std::string_view text) const {
  const std::string folded = ascii_lower(text);
  const std::string* best = nullptr;
  size_t best_len = 0;
  for (const auto& [value_text, canonical] : values_) {
    if (value_text.size() > best_len && folded.find(value_text) != std::string::npos) {
      best = &canonical;
      best_len = value_text.size();
    }
  }
  if (!best) return std::nullopt;
  return *best;
}

std::string_view strip_leading_blanks(std::string_view text) {
  for (;;) {
    if (!text.empty() && std::isspace(static_cast<unsigned char>(text[0]))) {
      text.remove_prefix(1);
    } else if (text.starts_with(kIdeographicSpace)) {
      text.remove_prefix(kIdeographicSpace.size());
    } else {
      return text;
    }
  }
}

std::string_view strip_trailing_blanks(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

size_t display_columns(std::string_view utf8) {
  size_t cols = 0;
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    const size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    // Three- and four-byte sequences are CJK, kana and fullwidth forms in practice: two columns.
    cols += len >= 3 ? 2 : 1;
    i += len;
  }
  return cols;
}

std::string find_hresult(std::string_view text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] != '0' || (text[i + 1] != 'x' && text[i + 1] != 'X')) continue;
    if (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) continue;
    size_t j = i + 2;
    while (j < text.size() && std::isxdigit(static_cast<unsigned char>(text[j]))) ++j;
    const size_t digits = j - i - 2;
    if (digits == 0 || digits > 8) continue;
    std::string out = "0x" + std::string(8 - digits, '0');
    for (size_t k = i + 2; k < j; ++k) out += static_cast<char>(std::toupper(static_cast<unsigned char>(text[k])));
    return out;
  }
  return {};
}

std::vector<std::string_view> head_lines(std::string_view head, size_t max_lines) {
  std::vector<std::string_view> out;
  while (!head.empty() && out.size() < max_lines) {
    const size_t nl = head.find('\n');
    if (nl == std::string_view::npos) {
      out.push_back(head);  // possibly cut short: a half label simply matches nothing
      break;
    }
    std::string_view line = head.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    head.remove_prefix(nl + 1);
  }
  return out;
}

}  // namespace kmsdiag
