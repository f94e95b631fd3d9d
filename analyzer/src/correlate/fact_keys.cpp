#include <algorithm>
#include <cctype>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {

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

bool is_error_code(std::string_view hresult) {
  const auto value = to_number(hresult);
  return value && *value != 0;
}

}  // namespace kmsdiag::correlation
