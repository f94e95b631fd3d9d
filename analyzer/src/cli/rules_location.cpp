#include "cli/rules_location.hpp"

#include <cstdlib>

namespace kmsdiag {

namespace fs = std::filesystem;

std::string find_rules_dir(const RulesSearch& search) {
  if (!search.given.empty()) return search.given;
  if (!search.env.empty()) return search.env;
  std::error_code ec;
  if (!search.executable.empty() && !search.installed_from_bin.empty()) {
    const fs::path installed = (search.executable.parent_path() / search.installed_from_bin).lexically_normal();
    if (fs::is_directory(installed, ec)) return installed.string();
  }
  if (!search.source_tree.empty() && fs::is_directory(search.source_tree, ec)) return search.source_tree;
  return "rules";
}

std::string resolve_rules_dir(const std::string& given) {
  RulesSearch search;
  search.given = given;
  if (const char* env = std::getenv("KMSDIAG_RULES"); env && *env) search.env = env;
  // The real path, not argv[0]: a symlink in /usr/local/bin to an installed tree still finds its rules.
  std::error_code ec;
  search.executable = fs::read_symlink("/proc/self/exe", ec);
  search.installed_from_bin = KMSDIAG_INSTALLED_RULES_FROM_BIN;
  search.source_tree = KMSDIAG_DEFAULT_RULES_DIR;
  return find_rules_dir(search);
}

}  // namespace kmsdiag
