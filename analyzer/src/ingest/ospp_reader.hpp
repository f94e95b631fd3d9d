// Reads Office `cscript ospp.vbs /dstatus | /act | /dcmid` output into `cmd.ospp` records, one per
// product block (blocks are delimited by ospp's dashed lines). Labels come from
// rules/tables/labels-ospp.yaml.
#pragma once

#include "ingest/reader.hpp"

namespace kmsdiag {

FormatInfo ospp_text_format();  // "ospp-text"

}  // namespace kmsdiag
