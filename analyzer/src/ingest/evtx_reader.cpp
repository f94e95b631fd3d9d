#include "ingest/evtx_reader.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

#include "ingest/evtx_chunk_decoder.hpp"
#include "ingest/evtx_framing.hpp"
#include "ingest/ordered_pool.hpp"

namespace kmsdiag {

namespace {

using namespace evtx;

// One read of one file. The file header and the chunks are read here, in order; each chunk is
// decoded as a unit of an OrderedPool (on `threads` workers, or here when 1) and delivered by the
// unit's finish step, in file order, renumbered after the chunks before it. So the records,
// problems and their positions are the same whatever the number of threads, and at most about
// 2 x threads chunks are in memory at once.
class EvtxRun {
  // A decoded chunk waiting for its turn: its counts (the events and problems are in its part).
  struct Decoded {
    ChunkResult result;
    uint64_t events = 0, problems = 0;
  };

 public:
  EvtxRun(ByteSource& in, RecordSink& sink, RecordBuilder::Classifier about_activation, unsigned threads)
      : in_(in), sink_(sink), stream_(in), about_activation_(std::move(about_activation)), pool_(threads) {}

  ReadStats run() {
    if (read_file_header()) {
      while (read_chunk()) {
      }
      pool_.wait();
      report_header_counts();
    }
    stats_.bytes = stream_.bytes();
    return stats_;
  }

 private:
  void problem(std::string message) {
    Problem p;
    p.where.path = in_.path();
    p.message = std::move(message);
    sink_.on_problem(std::move(p));
    ++stats_.problems;
  }

  bool read_file_header() {
    std::vector<uint8_t> buf(kFileHeaderSize);
    const size_t got = stream_.read_header(buf.data());
    const auto header = parse_file_header(buf.data(), got);
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
    header_ = *header;
    return true;
  }

  // Reads the next chunk and hands it to the pool; false at the end of input.
  bool read_chunk() {
    auto buf = std::make_shared<std::vector<uint8_t>>(kChunkSize);
    const size_t got = stream_.next_chunk(buf->data());
    if (got == 0) return false;
    const uint64_t chunk_no = ++chunks_;
    auto result = std::make_shared<Decoded>();
    std::shared_ptr<RecordPart> part = sink_.part();
    pool_.submit([this, buf, got, chunk_no, result, part] { decode(*buf, got, chunk_no, *result, *part); },
                 [this, result, part] { deliver(*result, *part); });
    return got == kChunkSize;
  }

  // On a worker: decodes the chunk and sends what it holds to the chunk's part, events then problems;
  // `decoded` keeps the counts.
  void decode(const std::vector<uint8_t>& buf, size_t got, uint64_t chunk_no, Decoded& decoded, RecordPart& part) {
    std::unique_ptr<ChunkDecoder> decoder = take_decoder();
    decoded.result = decoder->decode(buf.data(), got, chunk_no, part);
    ChunkResult& result = decoded.result;
    {
      std::lock_guard lk(decoders_mutex_);
      decoders_.push_back(std::move(decoder));
    }
    for (Problem& p : result.problems) part.on_problem(std::move(p));
    decoded.events = result.event_count;
    decoded.problems = result.problems.size();
    result.problems = {};
  }

  // A decoder per thread at a time (each keeps its buffers from one chunk to the next).
  std::unique_ptr<ChunkDecoder> take_decoder() {
    std::lock_guard lk(decoders_mutex_);
    if (decoders_.empty()) return std::make_unique<ChunkDecoder>(in_.path(), about_activation_);
    auto d = std::move(decoders_.back());
    decoders_.pop_back();
    return d;
  }

  // Finish step: runs one chunk at a time, in file order.
  void deliver(const Decoded& decoded, RecordPart& part) {
    part.deliver(ordinal_);
    const ChunkResult& r = decoded.result;
    stats_.records += decoded.events;
    stats_.problems += decoded.problems;
    ordinal_ += r.positions;
    walked_ += r.walked;
    recovered_ += r.recovered;
    stale_ += r.stale;
    header_records_ += r.header_records;
    max_record_number_ = std::max(max_record_number_, r.last_record_number);
    if (decoded.events) ++chunks_with_records_;
    truncated_ = truncated_ || r.end_of_file;
  }

  // A log copied while in use: what its header claims against what was read. The chunk headers'
  // record numbers count the records inside their free-space offsets; the file header's counts may
  // lag behind the chunks. A truncated file's counts fall short for a reason already reported.
  void report_header_counts() {
    if (truncated_ && !header_.dirty) return;
    const bool consistent = header_.next_record_number == max_record_number_ + 1 &&
                            header_.chunk_count >= chunks_with_records_ && header_records_ == walked_;
    if (!header_.dirty && consistent && !recovered_) return;
    std::string m =
        header_.dirty ? "file header is marked dirty (log copied while in use)" : "file header is out of date";
    m += ": it counts " + std::to_string(header_.chunk_count) + " chunk(s) and next record number " +
         std::to_string(header_.next_record_number) + "; the chunk headers count " + std::to_string(header_records_) +
         " record(s) up to number " + std::to_string(max_record_number_) + "; read " + std::to_string(walked_) +
         " record(s) in " + std::to_string(chunks_with_records_) + " chunk(s)";
    if (recovered_) m += " and " + std::to_string(recovered_) + " past free-space offsets";
    if (stale_)
      m += "; " + std::to_string(stale_) + " stale copies of older records past free-space offsets passed over";
    problem(std::move(m));
  }

  ByteSource& in_;
  RecordSink& sink_;
  ChunkStream stream_;
  RecordBuilder::Classifier about_activation_;
  ReadStats stats_;
  FileHeader header_;
  uint64_t chunks_ = 0;
  // Owned by the finish steps (one at a time, in order).
  uint64_t ordinal_ = 0, walked_ = 0, recovered_ = 0, stale_ = 0, header_records_ = 0, max_record_number_ = 0;
  uint64_t chunks_with_records_ = 0;
  bool truncated_ = false;
  std::mutex decoders_mutex_;
  std::vector<std::unique_ptr<ChunkDecoder>> decoders_;
  OrderedPool pool_;  // last: its destructor waits for units that still use the members above
};

}  // namespace

ReadStats EvtxReader::read(ByteSource& in, RecordSink& sink) {
  RecordBuilder::Classifier about_activation;
  if (kb_)
    about_activation = [kb = kb_](std::string_view provider, std::string_view channel, std::string_view event_id) {
      return kb->activation_layout(provider, channel, event_id) != nullptr;
    };
  return EvtxRun(in, sink, std::move(about_activation), threads_).run();
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
