#include "ingest/evtx_reader.hpp"

#include <memory>

#include "ingest/evtx_binxml.hpp"
#include "ingest/evtx_framing.hpp"
#include "ingest/evtx_record_builder.hpp"
#include "ingest/evtx_value.hpp"

namespace kmsdiag {

namespace {

using namespace evtx;

// One read of one file: owns the chunk buffer and reports problems with a consistent position.
class EvtxRun {
 public:
  EvtxRun(ByteSource& in, RecordSink& sink, RecordBuilder::DataFilter keep_data)
      : in_(in), sink_(sink), stream_(in), builder_(std::move(keep_data)) {}

  ReadStats run() {
    if (read_file_header()) {
      while (read_chunk()) {
      }
    }
    stats_.bytes = stream_.bytes();
    return stats_;
  }

 private:
  void problem(std::string message, uint64_t record_position = 0, uint64_t record_id = 0) {
    Problem p;
    p.where.path = in_.path();
    if (record_position) {
      p.where.unit = "record";
      p.where.position = record_position;
      if (record_id) p.where.record_id = std::to_string(record_id);
    }
    p.message = std::move(message);
    sink_.on_problem(std::move(p));
    ++stats_.problems;
  }

  std::string chunk_label() const {
    return "chunk " + std::to_string(chunk_no_) + " (file offset " +
           std::to_string(kFileHeaderSize + (chunk_no_ - 1) * kChunkSize) + ")";
  }

  bool read_file_header() {
    const size_t got = stream_.read_header(buf_.get());
    const auto header = parse_file_header(buf_.get(), got);
    if (!header) {
      problem("not an EVTX file: no \"ElfFile\" signature");
      return false;
    }
    if (got < kFileHeaderSize) {
      problem("file ends inside the 4096-byte file header (" + std::to_string(got) + " bytes)");
      return false;
    }
    if (!header->checksum_ok) problem("file header checksum mismatch (header may be damaged; reading chunks anyway)");
    if (header->major != 3) problem("unexpected EVTX major version " + std::to_string(header->major));
    return true;
  }

  // Reads and decodes the next chunk; false at the end of input.
  bool read_chunk() {
    const size_t got = stream_.next_chunk(buf_.get());
    if (got == 0) return false;
    ++chunk_no_;
    const bool cut = got < kChunkSize;
    if (cut) {
      std::fill(buf_.get() + got, buf_.get() + kChunkSize, uint8_t{0});
      problem(chunk_label() + ": file ends after " + std::to_string(got) + " of 65536 bytes (truncated); " +
                  "complete records before the cut are kept",
              ordinal_ + 1);
      if (got < kChunkHeaderSize) return false;
    }
    if (!cut && chunk_is_blank(buf_.get())) return true;  // preallocated, never used
    std::string why;
    const auto header = parse_chunk_header(buf_.get(), why);
    if (!header) {
      problem(chunk_label() + ": " + why + "; chunk skipped", ordinal_ + 1);
      return !cut;
    }
    if (!cut && !header->header_checksum_ok) problem(chunk_label() + ": header checksum mismatch", ordinal_ + 1);
    const uint32_t area_end =
        cut ? std::min<uint32_t>(header->free_space, static_cast<uint32_t>(got)) : header->free_space;
    const uint64_t first = ordinal_ + 1;
    decode_records(area_end, cut);
    if (!cut && !header->data_checksum_ok)
      problem(chunk_label() + ": record data checksum mismatch; records " + std::to_string(first) + "-" +
                  std::to_string(ordinal_) + " (EventRecordID " + std::to_string(header->first_record_id) + "-" +
                  std::to_string(header->last_record_id) + ") may hold damaged values",
              first, header->first_record_id);
    return !cut;
  }

  // In a cut chunk the record the cut runs through is already reported by the caller.
  void decode_records(uint32_t area_end, bool cut) {
    decoder_.set_chunk(buf_.get(), static_cast<uint32_t>(kChunkSize));
    RecordSlots slots(buf_.get(), area_end);
    std::string why;
    while (const auto slot = slots.next(why)) {
      ++ordinal_;
      builder_.reset();
      try {
        decoder_.decode(slot->binxml_offset(), slot->binxml_end(), builder_);
      } catch (const DecodeError& e) {
        problem(chunk_label() + ": record " + std::to_string(ordinal_) + ": " + e.what() + "; record skipped", ordinal_,
                slot->record_id);
        continue;
      }
      Record r;
      r.source.path = in_.path();
      r.source.unit = "record";
      r.source.position = ordinal_;
      builder_.finish(r, slot->record_id, filetime_to_ms(slot->written));
      r.source.record_id = std::string(r.get("record_id"));
      if (builder_.bad_values())
        problem(chunk_label() + ": record " + std::to_string(ordinal_) + ": " + std::to_string(builder_.bad_values()) +
                    " value(s) with malformed bytes left empty",
                ordinal_, slot->record_id);
      sink_.on_record(std::move(r));
      ++stats_.records;
    }
    if (!why.empty() && !cut) problem(chunk_label() + ": " + why + "; rest of the chunk skipped", ordinal_ + 1);
  }

  ByteSource& in_;
  RecordSink& sink_;
  ChunkStream stream_;
  std::unique_ptr<uint8_t[]> buf_ = std::make_unique<uint8_t[]>(kChunkSize);
  BinXmlDecoder decoder_;
  RecordBuilder builder_;
  ReadStats stats_;
  uint64_t chunk_no_ = 0;
  uint64_t ordinal_ = 0;
};

}  // namespace

ReadStats EvtxReader::read(ByteSource& in, RecordSink& sink) {
  RecordBuilder::DataFilter keep_data;
  if (kb_)
    keep_data = [kb = kb_](std::string_view provider, std::string_view channel) {
      return kb->is_licensing_source(provider, channel);
    };
  return EvtxRun(in, sink, std::move(keep_data)).run();
}

int detect_evtx(std::string_view head) { return head.substr(0, kFileMagic.size()) == kFileMagic ? 100 : 0; }

FormatInfo evtx_format() {
  FormatInfo f;
  f.name = "evtx";
  f.detect = [](std::string_view head, const Knowledge&) { return detect_evtx(head); };
  f.make = [](const Knowledge& kb) -> std::unique_ptr<Reader> { return std::make_unique<EvtxReader>(kb); };
  f.text = false;
  return f;
}

}  // namespace kmsdiag
