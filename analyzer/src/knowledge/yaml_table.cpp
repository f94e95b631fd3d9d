#include "knowledge/yaml_table.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>

#include <fmt/format.h>

namespace kmsdiag {

namespace {

std::string at_line(const std::string& path, int zero_based_line, std::string_view what) {
  // yaml-cpp marks are 0-based; a node without position (-1) is reported at the top of the file.
  return fmt::format("{}:{}: {}", path, std::max(zero_based_line, 0) + 1, what);
}

}  // namespace

YamlTable::YamlTable(std::string path) : path_(std::move(path)) {
  std::ifstream in(path_);
  if (!in) throw LoadError(fmt::format("{}:0: cannot open file", path_));
  try {
    root_ = YAML::Load(in);
  } catch (const YAML::Exception& e) {
    throw LoadError(at_line(path_, e.mark.line, e.msg));
  }
  if (!root_.IsMap()) fail(root_, "expected a mapping at the top level");
}

void YamlTable::fail(const YAML::Node& at, std::string_view what) const {
  throw LoadError(at_line(path_, at.IsDefined() ? at.Mark().line : 0, what));
}

void YamlTable::expect_map(const YAML::Node& node, std::string_view what) const {
  if (!node.IsMap()) fail(node, fmt::format("{} must be a mapping", what));
}

void YamlTable::expect_sequence(const YAML::Node& node, std::string_view what) const {
  if (!node.IsSequence()) fail(node, fmt::format("{} must be a list", what));
}

void YamlTable::expect_keys(const YAML::Node& node, std::initializer_list<std::string_view> required,
                            std::initializer_list<std::string_view> optional) const {
  expect_map(node, "entry");
  auto listed = [](std::initializer_list<std::string_view> keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  for (const auto& kv : node) {
    const std::string key = text(kv.first);
    if (!listed(required, key) && !listed(optional, key)) fail(kv.first, fmt::format("unknown key '{}'", key));
  }
  for (std::string_view key : required) {
    if (!node[std::string(key)]) fail(node, fmt::format("missing key '{}'", key));
  }
}

std::string YamlTable::text(const YAML::Node& scalar) const {
  if (!scalar.IsScalar()) fail(scalar, "expected a single value");
  return scalar.Scalar();
}

std::string YamlTable::text(const YAML::Node& map, const char* key) const {
  const YAML::Node value = map[key];
  if (!value) fail(map, fmt::format("missing key '{}'", key));
  if (value.IsNull()) return "";
  return text(value);
}

std::string YamlTable::text_or(const YAML::Node& map, const char* key, std::string fallback) const {
  return map[key] ? text(map, key) : fallback;
}

int YamlTable::integer(const YAML::Node& map, const char* key) const {
  const YAML::Node value = map[key];
  const std::string s = text(map, key);
  int out = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size()) fail(value, fmt::format("'{}' must be an integer", key));
  return out;
}

int YamlTable::integer_or(const YAML::Node& map, const char* key, int fallback) const {
  return map[key] ? integer(map, key) : fallback;
}

bool YamlTable::boolean_or(const YAML::Node& map, const char* key, bool fallback) const {
  const YAML::Node value = map[key];
  if (!value) return fallback;
  const std::string s = text(map, key);
  if (s == "true") return true;
  if (s == "false") return false;
  fail(value, fmt::format("'{}' must be true or false", key));
}

}  // namespace kmsdiag
