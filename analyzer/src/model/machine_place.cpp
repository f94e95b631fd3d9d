#include "model/machine_place.hpp"

#include <algorithm>
#include <cctype>

namespace kmsdiag {

std::string machine_key(std::string_view name) {
  std::string key = ascii_lower(trim(name));
  const bool ipv4 = std::all_of(key.begin(), key.end(),
                                [](char c) { return c == '.' || std::isdigit(static_cast<unsigned char>(c)); });
  const bool ipv6 = key.find(':') != std::string::npos;
  if (!ipv4 && !ipv6) {
    if (const size_t dot = key.find('.'); dot != std::string::npos) key.resize(dot);
  }
  return key;
}

std::string_view input_folder(std::string_view path) {
  const size_t slash = path.find_last_of("/\\!");
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
}

std::string place_key(const Record& r) {
  if (!trim(r.machine).empty()) return "machine:" + machine_key(r.machine);
  return "folder:" + std::string(input_folder(r.source.path));
}

std::string unnamed_machine_label(std::string_view where) {
  return "the machine whose output is in " + std::string(where.empty() ? "./" : where);
}

}  // namespace kmsdiag
