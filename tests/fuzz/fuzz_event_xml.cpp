// libFuzzer target for the event XML reader: any bytes must be read without crashing, hanging or
// exceeding bounded memory, and the reader's counts must match what it delivered.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/event_xml_reader.hpp"

namespace {

struct CountingSink final : kmsdiag::RecordSink {
  uint64_t records = 0, problems = 0;
  void on_record(kmsdiag::Record&&) override { ++records; }
  void on_problem(kmsdiag::Problem&&) override { ++problems; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)kmsdiag::detect_event_xml(text, kmsdiag::Knowledge{});
  // Small blocks and a small event limit put every construct across refills and exercise the
  // oversize path on fuzz-sized inputs.
  for (const kmsdiag::EventXmlOptions options : {kmsdiag::EventXmlOptions{}, kmsdiag::EventXmlOptions{7, 512}}) {
    kmsdiag::MemorySource source("fuzz.xml", text);
    CountingSink sink;
    const kmsdiag::ReadStats stats = kmsdiag::EventXmlReader(options).read(source, sink);
    if (stats.records != sink.records || stats.problems != sink.problems || stats.bytes != size) std::abort();
  }
  return 0;
}
