// Interprets command-output records (kind "cmd.*": slmgr, ospp, nslookup, dig, ...) into KMS facts.
#pragma once

#include <vector>

#include "knowledge/knowledge.hpp"
#include "model/record.hpp"

namespace kmsdiag {

// Appends the facts `in` yields; false when it carries nothing KMS-related.
bool interpret_command(const Record& in, const Knowledge& kb, std::vector<Record>& out);

}  // namespace kmsdiag
