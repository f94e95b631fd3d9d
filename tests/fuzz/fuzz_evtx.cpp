// libFuzzer target for the EVTX reader: any bytes must end in records and problems, never a crash,
// hang or out-of-bounds read. Seeds: tests/fuzz/seeds/evtx/ (see README there) plus the real corpus.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/byte_source.hpp"
#include "ingest/evtx_reader.hpp"

namespace {

struct CountingSink : kmsdiag::RecordSink {
  size_t records = 0;
  size_t problems = 0;
  void on_record(kmsdiag::Record&& r) override { records += r.fields.size() > 0; }
  void on_problem(kmsdiag::Problem&&) override { ++problems; }
};

}  // namespace

// Both ways the reader runs: every event in full, and (as kmsdiag analyze reads) EventData only for
// licensing events, which stops decoding other events early.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const kmsdiag::Knowledge kb = kmsdiag::Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  CountingSink sink;
  kmsdiag::MemorySource full("fuzz.evtx", bytes);
  kmsdiag::EvtxReader().read(full, sink);
  kmsdiag::MemorySource lean("fuzz.evtx", bytes);
  kmsdiag::EvtxReader(kb).read(lean, sink);
  return 0;
}
