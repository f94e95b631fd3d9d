// libFuzzer target for bundles: any bytes go through the ingest driver exactly as a file would
// (zip detection, member streaming with the zip-bomb limits, then format detection of each member).
// Nothing may crash, hang or extract to disk.
#include <cstdint>
#include <string_view>
#include <vector>

#include "ingest/byte_source.hpp"
#include "ingest/ingest_driver.hpp"

namespace {

struct NullSink final : kmsdiag::IngestSink {
  void on_record(kmsdiag::Record&&) override {}
  void on_problem(kmsdiag::Problem&&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const kmsdiag::Knowledge kb;
  kmsdiag::MemorySource source("fuzz.zip", std::string_view(reinterpret_cast<const char*>(data), size));
  NullSink sink;
  std::vector<kmsdiag::InputSummary> out;
  kmsdiag::ingest_source(source, kb, sink, out);
  return 0;
}
