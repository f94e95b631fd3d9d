// What a report was made from, so a saved JSON report can be traced to its rule set and its inputs.
#pragma once

#include <string>
#include <vector>

#include "model/analysis.hpp"

namespace kmsdiag {

// The rule set loaded from `dir`: `files` are every rule and table file the loaders read. Its digest is the
// SHA-256 of their `sha256sum` listing ("<hex>  <path>\n" per file, paths relative to `dir`, sorted
// bytewise), so `cd rules && sha256sum <those files, LC_ALL=C sorted> | sha256sum` gives the same value.
// Throws std::runtime_error naming a file that can no longer be read.
RuleSetIdentity identify_rule_set(const std::string& dir, const std::vector<std::string>& files);

}  // namespace kmsdiag
