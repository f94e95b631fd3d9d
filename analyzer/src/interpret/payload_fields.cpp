#include "interpret/payload_fields.hpp"

#include <charconv>
#include <iterator>

#include "knowledge/knowledge.hpp"

namespace kmsdiag {

namespace {

// A lone HRESULT (no separators): the first of the positional fields.
bool is_bare_code(std::string_view value) {
  return value.find(',') == std::string_view::npos && !Knowledge::canonical_code(value).empty();
}

std::optional<std::vector<std::string_view>> split_if_enough(std::string_view text, size_t min_fields) {
  if (text.empty()) return std::nullopt;
  auto fields = split_trimmed(text, ',');
  if (fields.size() < min_fields || Knowledge::canonical_code(fields[0]).empty()) return std::nullopt;
  return fields;
}

}  // namespace

std::vector<std::string_view> data_values(const Record& ev) {
  // Readers add data.0, data.1, ... in order: one pass, however many items an event has.
  std::vector<std::string_view> out;
  char index[24];
  for (const FieldView& f : ev.fields) {
    if (f.key.size() <= 5 || f.key.substr(0, 5) != "data.") continue;
    const auto end = std::to_chars(std::begin(index), std::end(index), out.size()).ptr;
    if (f.key.substr(5) == std::string_view(index, static_cast<size_t>(end - index))) out.push_back(f.value);
  }
  return out;
}

std::vector<std::string_view> split_trimmed(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(sep, start);
    out.emplace_back(trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::optional<std::vector<std::string_view>> kms_payload(const Record& ev, size_t min_fields) {
  const std::vector<std::string_view> data = data_values(ev);
  auto positional = [&](size_t first) -> std::optional<std::vector<std::string_view>> {
    if (data.size() < first + min_fields || !is_bare_code(data[first])) return std::nullopt;
    std::vector<std::string_view> fields;
    fields.reserve(data.size() - first);
    for (size_t i = first; i < data.size(); ++i) fields.push_back(trim(data[i]));
    return fields;
  };
  // A bare code in Data[0] means the fields start there; Data[1] is then the second field (itself
  // possibly a bare code, like 12288's status), so Data[0] must be checked first.
  if (!data.empty() && is_bare_code(data[0])) {
    if (auto fields = positional(0)) return fields;
  } else {
    if (auto fields = positional(1)) return fields;
    if (!data.empty()) {
      if (auto fields = split_if_enough(data[0], min_fields)) return fields;
    }
  }
  return split_if_enough(message_after(ev, "Info:"), min_fields);
}

std::string_view message_after(const Record& ev, std::string_view needle) {
  const std::string_view message = ev.get("message");
  const size_t at = message.find(needle);
  if (at == std::string_view::npos) return "";
  std::string_view rest = message.substr(at + needle.size());
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    const std::string_view line = trim(rest.substr(0, eol));
    if (!line.empty()) return line;
    if (eol == std::string_view::npos) break;
    rest.remove_prefix(eol + 1);
  }
  return "";
}

std::string_view message_line_with(const Record& ev, std::string_view needle) {
  const std::string_view message = ev.get("message");
  const size_t at = message.find(needle);
  if (at == std::string_view::npos) return "";
  const size_t begin = message.rfind('\n', at);
  const size_t end = message.find('\n', at);
  const size_t from = begin == std::string_view::npos ? 0 : begin + 1;
  return trim(message.substr(from, end == std::string_view::npos ? end : end - from));
}

std::string_view first_quoted(std::string_view text) {
  const size_t open = text.find_first_of("'\"`");
  if (open == std::string_view::npos) return "";
  const size_t close = text.find(text[open], open + 1);
  if (close == std::string_view::npos) return "";
  return trim(text.substr(open + 1, close - open - 1));
}

std::map<std::string_view, std::string_view> key_values(std::string_view text, char sep) {
  std::map<std::string_view, std::string_view> out;
  for (const std::string_view segment : split_trimmed(text, sep)) {
    const size_t eq = segment.rfind('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = segment.substr(0, eq);
    // Drop any label in front of the key ("Security-SPP-Action-StateData (REG_SZ) =AppId").
    const size_t cut = key.find_last_of("= ");
    if (cut != std::string_view::npos) key.remove_prefix(cut + 1);
    key = trim(key);
    if (!key.empty()) out[key] = trim(segment.substr(eq + 1));
  }
  return out;
}

}  // namespace kmsdiag
