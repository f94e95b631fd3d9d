// Lookups over the loaded tables and the canonical forms of codes and GUIDs they are keyed by.
#include "knowledge/knowledge.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include <fmt/format.h>

#include "model/record.hpp"

namespace kmsdiag {

namespace {

bool all_of(std::string_view s, int (*pred)(int)) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_lower(s.substr(0, prefix.size())) == prefix;
}

std::string hex8(uint32_t value) { return fmt::format("0x{:08X}", value); }

// ASCII case folding without a locale call or a copy: every event read is checked against the
// licensing sources, so this is on the hot path.
char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }
bool same_ci(char a, char b) { return fold(a) == fold(b); }

bool equals_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), same_ci);
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), same_ci) != haystack.end();
}

}  // namespace

std::string Knowledge::canonical_code(std::string_view text) {
  std::string_view s = trim(text);
  if (starts_with_ci(s, "hr=")) s = trim(s.substr(3));
  // slmgr prints "Notification Reason: 0xC004F056." with a sentence period.
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (starts_with_ci(s, "0x")) {
    s.remove_prefix(2);
    if (s.size() > 8 || !all_of(s, std::isxdigit)) return "";
  } else if (!s.empty() && s.front() == '-') {
    // Negative decimal: an HRESULT printed as a signed 32-bit integer.
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || value < INT32_MIN) return "";
    return hex8(static_cast<uint32_t>(static_cast<int32_t>(value)));
  } else if (all_of(s, std::isdigit) && s.size() != 8) {
    // Plain decimal ("0", "3221549172"); exactly eight digits reads as hex like "C004F074" does.
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || value > UINT32_MAX) return "";
    return hex8(static_cast<uint32_t>(value));
  } else if (s.size() != 8 || !all_of(s, std::isxdigit)) {
    return "";
  }
  uint32_t value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value, 16);
  return hex8(value);
}

std::string_view Knowledge::canonical_guid(std::string_view text, GuidText& out) {
  std::string_view s = trim(text);
  if (s.size() == 38 && s.front() == '{' && s.back() == '}') s = s.substr(1, 36);
  if (s.size() != out.size()) return {};
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return {};
    out[i] = s[i] >= 'A' && s[i] <= 'F' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
  }
  return {out.data(), out.size()};
}

std::string Knowledge::canonical_guid(std::string_view text) {
  GuidText buf;
  return std::string(canonical_guid(text, buf));
}

const ErrorInfo* Knowledge::error(std::string_view code) const {
  const auto it = errors.find(canonical_code(code));
  return it == errors.end() ? nullptr : &it->second;
}

const ProductInfo* Knowledge::product(std::string_view act_id) const {
  GuidText buf;
  const auto it = products.find(canonical_guid(act_id, buf));
  return it == products.end() ? nullptr : &it->second;
}

const KeyGroup* Knowledge::key_group(std::string_view id) const {
  const auto it = key_groups.find(ascii_lower(trim(id)));
  return it == key_groups.end() ? nullptr : &it->second;
}

std::optional<bool> Knowledge::activates(std::string_view key_group_id, std::string_view act_id) const {
  const KeyGroup* host = key_group(key_group_id);
  const ProductInfo* p = product(act_id);
  if (host == nullptr || p == nullptr) return std::nullopt;
  if (p->kms_host) return false;  // a host license is activated online, never by another host
  const KeyGroup* needed = key_group(p->min_key_group);
  if (needed == nullptr) return std::nullopt;
  if (host->line != needed->line) return false;
  if (!host->cumulative) return host->id == needed->id;
  if (p->family == "windows-server") return host->servers && host->server_rank >= needed->rank;
  return host->rank >= needed->rank;
}

const CountLine* Knowledge::count_line(std::string_view id) const {
  const auto it = count_lines.find(std::string(trim(id)));
  return it == count_lines.end() ? nullptr : &it->second;
}

const CountLine* Knowledge::count_line_of(std::string_view act_id) const { return count_line_of(product(act_id)); }

const CountLine* Knowledge::count_line_of(const ProductInfo* p) const {
  return count_line(p ? std::string_view(p->count_line) : std::string_view(unlisted_line));
}

const std::map<std::string, std::string>* Knowledge::labels(std::string_view table) const {
  const auto it = label_tables.find(std::string(table));
  return it == label_tables.end() ? nullptr : &it->second;
}

std::string_view Knowledge::license_status_name(std::string_view status) const {
  const auto it = license_status_names.find(std::string(trim(status)));
  return it == license_status_names.end() ? std::string_view() : std::string_view(it->second);
}

bool Knowledge::is_licensing_source(std::string_view provider, std::string_view channel) const {
  for (const auto& c : kms_channels) {
    if (equals_ci(trim(channel), c)) return true;
  }
  for (const auto& fragment : event_providers) {
    if (contains_ci(provider, fragment)) return true;
  }
  return false;
}

const EventLayout* Knowledge::activation_layout(std::string_view provider, std::string_view channel,
                                                std::string_view event_id) const {
  const EventLayout* layout = event_layouts.find(event_id);
  return layout != nullptr && is_licensing_source(provider, channel) ? layout : nullptr;
}

}  // namespace kmsdiag
