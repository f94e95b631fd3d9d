// libFuzzer target for the event XML reader: any bytes must be read without crashing, hanging or
// exceeding bounded memory, the reader's counts must match what it delivered, and parsing in ranges on
// two threads must deliver exactly what one thread does.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/event_xml_reader.hpp"

namespace {

// Counts, and a digest of what came in which order (record lines, problem texts).
struct CountingSink final : kmsdiag::RecordSink {
  uint64_t records = 0, problems = 0;
  std::string order;
  void on_record(kmsdiag::Record&& r) override {
    ++records;
    order += "r" + std::to_string(r.source.position) + ",";
  }
  void on_problem(kmsdiag::Problem&& p) override {
    ++problems;
    order += p.message + ",";
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)kmsdiag::detect_event_xml(text, kmsdiag::Knowledge{});
  // Small blocks and a small event limit put every construct across refills and exercise the
  // oversize path on fuzz-sized inputs.
  // Ranges of 300 bytes put range boundaries next to every construct too.
  for (const kmsdiag::EventXmlOptions options : {kmsdiag::EventXmlOptions{}, kmsdiag::EventXmlOptions{7, 512, 300}}) {
    std::string one_thread;
    for (unsigned threads : {1u, 2u}) {
      kmsdiag::MemorySource source("fuzz.xml", text);
      CountingSink sink;
      kmsdiag::EventXmlReader reader(options);
      reader.use_threads(threads);
      const kmsdiag::ReadStats stats = reader.read(source, sink);
      if (stats.records != sink.records || stats.problems != sink.problems || stats.bytes != size) std::abort();
      if (threads == 1)
        one_thread = std::move(sink.order);
      else if (sink.order != one_thread)
        std::abort();
    }
  }
  return 0;
}
