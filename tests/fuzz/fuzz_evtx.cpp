// libFuzzer target for the EVTX reader: any bytes must end in records and problems, never a crash,
// hang or out-of-bounds read; and reading unused events through their template (evtx_template_system)
// must yield what walking them yields. Seeds: tests/fuzz/seeds/evtx/ (see README there) plus the real
// corpus.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ingest/byte_source.hpp"
#include "ingest/evtx_chunk_decoder.hpp"
#include "ingest/evtx_reader.hpp"

namespace {

struct CountingSink : kmsdiag::RecordSink {
  size_t records = 0;
  size_t problems = 0;
  void on_record(kmsdiag::Record&& r) override { records += r.fields.size() > 0; }
  void on_problem(kmsdiag::Problem&&) override { ++problems; }
};

// Everything a decoded chunk yields, as one comparable text.
std::string digest(const kmsdiag::evtx::ChunkResult& r) {
  std::string out = std::to_string(r.positions) + "/" + std::to_string(r.walked) + "/" + std::to_string(r.recovered) +
                    "/" + std::to_string(r.stale) + "\n";
  for (const auto& p : r.problems) out += p.describe() + "\n";
  for (const auto& e : r.events) {
    if (const auto* u = std::get_if<kmsdiag::UnusedEvent>(&e)) {
      out += "unused " + u->key + " " + u->source.describe() + " " + std::to_string(u->time_ms) + "\n";
      continue;
    }
    const auto& rec = std::get<kmsdiag::Record>(e);
    out += rec.source.describe() + " " + std::to_string(rec.time_ms) + " " + rec.machine + "\n";
    for (const auto& f : rec.fields) out.append(f.key).append("=").append(f.value).append("\n");
  }
  return out;
}

// Each chunk decoded with and without the template shortcut must yield the same, except where the chunk's
// work budget ran out: the shortcut spends less of it than the walk, so it may read further.
void check_shortcut(std::string_view bytes, const kmsdiag::Knowledge& kb) {
  auto about_activation = [&kb](std::string_view provider, std::string_view channel, std::string_view event_id) {
    return kb.activation_layout(provider, channel, event_id);
  };
  kmsdiag::evtx::ChunkDecoder fast("fuzz.evtx", about_activation), walk("fuzz.evtx", about_activation, false);
  std::vector<uint8_t> chunk(kmsdiag::evtx::kChunkSize);
  for (size_t at = kmsdiag::evtx::kFileHeaderSize, no = 1; at < bytes.size(); at += chunk.size(), ++no) {
    const size_t got = std::min(chunk.size(), bytes.size() - at);
    std::memset(chunk.data(), 0, chunk.size());
    std::memcpy(chunk.data(), bytes.data() + at, got);
    const std::string a = digest(fast.decode(chunk.data(), got, no)), b = digest(walk.decode(chunk.data(), got, no));
    if (a != b && a.find("work budget") == std::string::npos && b.find("work budget") == std::string::npos)
      std::abort();
  }
}

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
  check_shortcut(bytes, kb);
  return 0;
}
