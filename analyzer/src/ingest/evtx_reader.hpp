// The "evtx" format: Windows Event Log files (what Event Viewer saves and `wevtutil epl` writes),
// decoded by kmsdiag itself, chunk by chunk, into `event` Records.
#pragma once

#include <string_view>

#include "ingest/reader.hpp"

namespace kmsdiag {

class EvtxReader final : public Reader {
 public:
  ReadStats read(ByteSource& in, RecordSink& sink) override;
};

// 100 when `head` starts with the EVTX file signature "ElfFile\0", else 0.
int detect_evtx(std::string_view head);

// The registry entry (binary input: text = false).
FormatInfo evtx_format();

}  // namespace kmsdiag
