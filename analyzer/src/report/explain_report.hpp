// `kmsdiag explain` for people (text, in the explanation's language) and for programs (a JSON array, one
// object per query). A query that is not understood prints nothing here (the command says why on stderr).
#pragma once

#include <ostream>
#include <vector>

#include "rules/code_explanation.hpp"

namespace kmsdiag {

void render_explanations_text(const std::vector<Explanation>& explanations, std::ostream& out);
void render_explanations_json(const std::vector<Explanation>& explanations, std::ostream& out);

}  // namespace kmsdiag
