// The live check (`kmsdiag dns`) for people (text) and for programs (JSON).
#pragma once

#include <ostream>

#include "probe/live_check.hpp"

namespace kmsdiag {

void render_live_text(const LiveResult& result, std::ostream& out);
void render_live_json(const LiveResult& result, std::ostream& out);

}  // namespace kmsdiag
