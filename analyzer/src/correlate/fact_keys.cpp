#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {

bool is_error_code(std::string_view hresult) {
  const auto value = to_number(hresult);
  return value && *value != 0;
}

}  // namespace kmsdiag::correlation
