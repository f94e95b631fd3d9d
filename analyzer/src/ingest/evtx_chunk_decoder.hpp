// Decodes one 64 KiB EVTX chunk into Records and Problems, on its own: names and templates are
// chunk-relative, so chunks are independent units that several threads can decode at once. What a
// chunk yields is numbered from 1 within the chunk; the reader renumbers it by the records of the
// chunks before it when it delivers the chunk, in file order.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "ingest/evtx_binxml.hpp"
#include "ingest/evtx_framing.hpp"
#include "ingest/evtx_record_builder.hpp"
#include "ingest/evtx_template_system.hpp"
#include "ingest/reader.hpp"
#include "model/record.hpp"

namespace kmsdiag::evtx {

struct ChunkResult {
  // source.position / where.position count from 1 within the chunk (0: a problem about no record).
  // Events in chunk order: a Record, or an UnusedEvent for one not about activation.
  std::vector<std::variant<Record, UnusedEvent>> events;  // empty when decoded with a sink: sent there
  uint64_t event_count = 0;                               // events decoded, kept here or sent
  std::vector<Problem> problems;
  uint64_t positions = 0;  // record slots the chunk used, decoded or not
  // For comparing with the file header: records inside the free-space offset, and what the chunk
  // header says it holds (numbers count over the whole log; 0 when the header holds none).
  uint64_t walked = 0, recovered = 0, stale = 0;
  uint64_t header_records = 0, last_record_number = 0;
  uint64_t shortcut = 0;          // unused events read through their template (evtx_template_system), not walked
  uint64_t shortcut_records = 0;  // events about activation read whole through their template, not walked
  bool end_of_file = false;       // the chunk was cut short: no chunk follows
};

class ChunkDecoder {
 public:
  // `about_activation` as RecordBuilder's. `template_shortcut` false walks every record in full (for
  // tests that compare the shortcut of evtx_template_system with the walk).
  ChunkDecoder(std::string path, RecordBuilder::Classifier about_activation, bool template_shortcut = true)
      : path_(std::move(path)),
        builder_(std::move(about_activation)),
        template_shortcut_(template_shortcut && builder_.classifies()) {}

  // Decodes chunk number `chunk_no` (1-based), `got` bytes of it present (< kChunkSize: cut by the end
  // of the file; the rest of `chunk` is zero). `chunk` holds kChunkSize bytes.
  ChunkResult decode(const uint8_t* chunk, size_t got, uint64_t chunk_no);
  // The same, but each event goes to `events` as soon as it is decoded instead of into the result (the
  // problems stay there). Built and freed in turn, a chunk's hundreds of events reuse the few heap
  // blocks of the thread's malloc cache; kept until the chunk ends, they overflow it and take the one
  // arena's lock for each block, and two threads decoding at once contend for it (the 512 MiB EVTX log
  // took 4.1 s with two jobs against 3.6 s with one).
  ChunkResult decode(const uint8_t* chunk, size_t got, uint64_t chunk_no, RecordSink& events);

 private:
  void problem(std::string message, uint64_t position = 0, uint64_t record_id = 0);
  void records(uint32_t area_end, bool cut, uint32_t chunk_end, uint64_t floor_id);
  void record(const RecordSlot& slot);
  std::string label() const;

  std::string path_;
  BinXmlDecoder decoder_;
  RecordBuilder builder_;
  bool template_shortcut_;
  TemplateSystems templates_;
  const uint8_t* chunk_ = nullptr;
  uint64_t chunk_no_ = 0;
  ChunkResult out_;
  RecordSink* events_ = nullptr;  // where events go (during decode)
  UnusedEvent unused_;            // the one handed on for every event not about activation
  Record record_;                 // the one handed on for every other
  // The chunk's work budget ran out at record budget_first_ (chunk-relative); later records are lost.
  bool budget_spent_ = false;
  uint64_t budget_first_ = 0;
  std::string budget_why_;
};

}  // namespace kmsdiag::evtx
