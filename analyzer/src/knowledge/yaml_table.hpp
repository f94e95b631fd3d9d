// Strict reading of one YAML table file: every error is a LoadError "file:line: what", and keys a
// table does not define are errors too, so a typo in a data file never passes silently.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "knowledge/knowledge.hpp"

namespace kmsdiag {

class YamlTable {
 public:
  // Parses `path`; throws LoadError (with the parser's line) when it is not valid YAML.
  explicit YamlTable(std::string path);

  const YAML::Node& root() const { return root_; }
  const std::string& path() const { return path_; }

  [[noreturn]] void fail(const YAML::Node& at, std::string_view what) const;

  // `node` must be a mapping holding every key of `required` and no key outside `required` + `optional`.
  void expect_keys(const YAML::Node& node, std::initializer_list<std::string_view> required,
                   std::initializer_list<std::string_view> optional = {}) const;
  void expect_map(const YAML::Node& node, std::string_view what) const;
  void expect_sequence(const YAML::Node& node, std::string_view what) const;

  // Scalar readers; a missing optional key yields `fallback`.
  std::string text(const YAML::Node& scalar) const;
  std::string text(const YAML::Node& map, const char* key) const;
  std::string text_or(const YAML::Node& map, const char* key, std::string fallback) const;
  int integer(const YAML::Node& map, const char* key) const;
  int integer_or(const YAML::Node& map, const char* key, int fallback) const;
  bool boolean_or(const YAML::Node& map, const char* key, bool fallback) const;

 private:
  std::string path_;
  YAML::Node root_;
};

}  // namespace kmsdiag
