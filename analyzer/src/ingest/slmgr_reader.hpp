// Reads `cscript slmgr.vbs /dli | /dlv [All] | /ato | /xpr` console output in any language the
// slmgr label table knows (rules/tables/labels-slmgr.yaml) into `cmd.slmgr`, `cmd.slmgr-ato` and
// `cmd.slmgr-xpr` records (rules/records.md). Tolerates console line wraps, missing indentation
// and several commands' output pasted into one file.
#pragma once

#include "ingest/reader.hpp"

namespace kmsdiag {

FormatInfo slmgr_text_format();  // "slmgr-text"

}  // namespace kmsdiag
