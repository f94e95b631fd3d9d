// The "evtx" format: Windows Event Log files (what Event Viewer saves and `wevtutil epl` writes),
// decoded by kmsdiag itself, chunk by chunk, into `event` Records.
#pragma once

#include <string_view>

#include "ingest/reader.hpp"

namespace kmsdiag {

class EvtxReader final : public Reader {
 public:
  EvtxReader() = default;  // every event in full
  // Builds records only for events about activation (Knowledge::activation_layout); the others are
  // decoded up to the end of their System element and delivered as UnusedEvents.
  explicit EvtxReader(const Knowledge& kb) : kb_(&kb) {}
  ReadStats read(ByteSource& in, RecordSink& sink) override;
  void use_threads(unsigned threads) override { threads_ = threads; }

 private:
  const Knowledge* kb_ = nullptr;
  unsigned threads_ = 1;
};

// 100 when `head` starts with the EVTX file signature "ElfFile\0", else 0.
int detect_evtx(std::string_view head);

// The registry entry (binary input: text = false).
FormatInfo evtx_format();

}  // namespace kmsdiag
