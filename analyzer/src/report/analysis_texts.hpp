// Every text of an Analysis that came from the input or may quote it (titles and explanations are filled in
// from facts), rewritten by one function. Redaction replaces names in them; the terminal report makes
// control characters in them visible. One walk, so a text added to the Analysis is covered by both.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "model/analysis.hpp"

namespace kmsdiag {

void rewrite_texts(Analysis& analysis, const std::function<std::string(std::string_view)>& rewrite);

}  // namespace kmsdiag
