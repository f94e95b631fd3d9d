// Feeds arbitrary bytes to every command-output reader (slmgr, ospp, nslookup, Resolve-DnsName, dig) and
// interprets what they produce: nothing may crash, hang or grow without bound.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/ospp_reader.hpp"
#include "ingest/slmgr_reader.hpp"
#include "ingest/srv_lookup_readers.hpp"
#include "interpret/command_interpreter.hpp"

namespace {

using namespace kmsdiag;

const Knowledge& kb() {
  static const Knowledge k = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  return k;
}

struct InterpretingSink : RecordSink {
  void on_record(Record&& r) override {
    std::vector<Record> facts;
    interpret_command(r, kb(), facts);
  }
  void on_problem(Problem&&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const FormatInfo formats[] = {slmgr_text_format(), ospp_text_format(), nslookup_srv_format(),
                                       resolve_dnsname_srv_format(), dig_srv_format()};
  for (const auto& f : formats) {
    f.detect(text, kb());
    MemorySource src("fuzz.txt", text);
    InterpretingSink sink;
    f.make(kb())->read(src, sink);
  }
  return 0;
}
