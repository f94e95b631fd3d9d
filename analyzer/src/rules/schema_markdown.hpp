// rules/records.md as generated from the record schema (`kmsdiag rules schema`), so the documented
// vocabulary is the checked one.
#pragma once

#include <string>

#include "rules/record_schema.hpp"

namespace kmsdiag {

std::string records_markdown(const RecordSchema& schema);

}  // namespace kmsdiag
