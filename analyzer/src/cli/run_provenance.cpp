#include "cli/run_provenance.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "model/sha256.hpp"

namespace kmsdiag {

namespace fs = std::filesystem;

RuleSetIdentity identify_rule_set(const std::string& dir, const std::vector<std::string>& files) {
  std::vector<std::pair<std::string, std::string>> listing;  // relative path, path
  for (const auto& file : files) listing.emplace_back(fs::path(file).lexically_relative(dir).generic_string(), file);
  std::sort(listing.begin(), listing.end());
  Sha256 sha;
  for (const auto& [relative, file] : listing) {
    const std::optional<std::string> digest = sha256_of_file(file);
    if (!digest) throw std::runtime_error(file + ": cannot be read to compute the rule set's digest");
    sha.update(*digest + "  " + relative + "\n");
  }
  return RuleSetIdentity{dir, sha.hex_digest(), files.size()};
}

}  // namespace kmsdiag
