#include "correlate/correlation_steps.hpp"
#include "model/machine_place.hpp"

namespace kmsdiag::correlation {

std::string machine_key(std::string_view name) { return kmsdiag::machine_key(name); }

bool is_error_code(std::string_view hresult) {
  const auto value = to_number(hresult);
  return value && *value != 0;
}

}  // namespace kmsdiag::correlation
