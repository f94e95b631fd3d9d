// Which rules folder a run uses. The order: --rules, then $KMSDIAG_RULES, then the rules installed beside
// the binary (<prefix>/bin/../share/kmsdiag/rules, found from the binary's real path so any prefix and a
// moved tree work), then the source tree a build-tree binary was built from, then ./rules.
#pragma once

#include <filesystem>
#include <string>

namespace kmsdiag {

struct RulesSearch {
  std::string given;                 // --rules ("" when not given)
  std::string env;                   // $KMSDIAG_RULES ("" when unset)
  std::filesystem::path executable;  // the running binary's real path ("" when unknown)
  std::string installed_from_bin;    // the installed rules relative to the binary's folder
  std::string source_tree;           // <source>/rules of the build
};

std::string find_rules_dir(const RulesSearch& search);

// find_rules_dir with this process's --rules value, environment and /proc/self/exe.
std::string resolve_rules_dir(const std::string& given);

}  // namespace kmsdiag
