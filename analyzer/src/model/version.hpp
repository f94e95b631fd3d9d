// The version this build reports (--version, the JSON report): `git describe` of the checkout at configure
// time, else the project version (cmake/kmsdiag_version.cmake). Defined in a file generated at configure
// time, so a new commit recompiles that one file only.
#pragma once

#include <string_view>

namespace kmsdiag {

std::string_view tool_version();

}  // namespace kmsdiag
