// Fuzzes the text event readers (event-csv, event-tsv, pasted-event, event-json, event-format-list):
// the first byte picks the reader, the rest is its input. Any crash, hang or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/event_csv_reader.hpp"
#include "ingest/event_format_list_reader.hpp"
#include "ingest/event_json_reader.hpp"
#include "ingest/event_tsv_reader.hpp"
#include "ingest/pasted_event_reader.hpp"

namespace {

struct NullSink : kmsdiag::RecordSink {
  void on_record(kmsdiag::Record&&) override {}
  void on_problem(kmsdiag::Problem&&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const kmsdiag::Knowledge kb = kmsdiag::Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  static const kmsdiag::FormatInfo formats[] = {kmsdiag::event_csv_format(), kmsdiag::event_tsv_format(),
                                                kmsdiag::pasted_event_format(), kmsdiag::event_json_format(),
                                                kmsdiag::event_format_list_format()};
  if (size == 0) return 0;
  const auto& format = formats[data[0] % std::size(formats)];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  format.detect(text, kb);
  kmsdiag::MemorySource src("fuzz", text);
  NullSink sink;
  format.make(kb)->read(src, sink);
  return 0;
}
