#include "ingest/evtx_reader.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

#include "ingest/evtx_chunk_decoder.hpp"
#include "ingest/evtx_framing.hpp"
#include "ingest/ordered_pool.hpp"
#include "model/huge_pages.hpp"

namespace kmsdiag {

namespace {

using namespace evtx;

// One read of one file. The file header and the chunks are read here, in order; a batch of chunks is
// decoded as a unit of an OrderedPool (on `threads` workers, or here when 1) and each chunk delivered by
// the unit's finish step, in file order, renumbered after the chunks before it. So the records,
// problems and their positions are the same whatever the number of threads, and at most about
// 2 x threads batches (kReadAhead bytes) are in memory at once.
class EvtxRun {
  // Chunks handed to a worker at once, at most. One chunk per unit woke a thread 8,192 times for a 512 MiB
  // log (32,000 context switches, a read and a 64 KiB buffer each); 16 make 1 MiB of reading per unit, few
  // enough handoffs to be noise. The first units are smaller (1 chunk, then 2, ...), so that a small file,
  // or a few chunks costly to decode (a template bomb), still keeps every thread busy.
  static constexpr size_t kBatchChunks = 16;
  // The chunks the 2 x threads unfinished units may hold in all: batches are smaller from 5 threads on
  // (one chunk each from 33), so that --jobs 64 reads ahead 8 MiB, not 128.
  static constexpr size_t kReadAhead = size_t{8} << 20;

  // One chunk of a batch: where it is, then what it yielded (events and problems are in its part).
  struct Chunk {
    size_t got = 0;
    uint64_t chunk_no = 0;
    std::unique_ptr<RecordPart> part;
    ChunkResult result;
    uint64_t events = 0, problems = 0;
  };
  // The bytes of up to max_batch_ chunks, read in one go; recycled from one unit to the next. The read
  // fills them, so they are not zeroed first (in huge pages when a batch is 2 MiB or more).
  struct Batch {
    explicit Batch(size_t chunks) : bytes(allocate_pages(chunks * kChunkSize)) {}
    PageBuffer bytes;
    std::vector<Chunk> chunks;
  };

 public:
  EvtxRun(ByteSource& in, RecordSink& sink, RecordBuilder::Classifier about_activation, unsigned threads)
      : in_(in),
        sink_(sink),
        stream_(in),
        about_activation_(std::move(about_activation)),
        max_batch_(std::clamp<size_t>(kReadAhead / (2 * std::max(threads, 1u) * kChunkSize), 1, kBatchChunks)),
        pool_(threads) {}

  ReadStats run() {
    if (read_file_header()) {
      while (read_batch()) {
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

  // Reads the next batch of chunks and hands it to the pool; false at the end of input.
  bool read_batch() {
    std::shared_ptr<Batch> batch = take_batch();
    const size_t want = std::min(max_batch_, ++batches_read_);
    const size_t got = stream_.next_chunks(batch->bytes.get(), want);
    for (size_t at = 0; at < got; at += kChunkSize) {
      Chunk& c = batch->chunks.emplace_back();
      c.got = std::min(kChunkSize, got - at);
      c.chunk_no = ++chunks_;
      c.part = sink_.part();
      // The decoder reads a chunk cut by the end of the file as if zero-filled.
      if (c.got < kChunkSize) std::fill_n(batch->bytes.get() + at + c.got, kChunkSize - c.got, 0);
    }
    if (batch->chunks.empty()) return false;
    pool_.submit([this, batch] { decode(*batch); }, [this, batch] { deliver(batch); });
    return got == want * kChunkSize;
  }

  // On a worker: decodes the batch's chunks, each sending what it holds to its part, events then
  // problems; the chunk keeps the counts.
  void decode(Batch& batch) {
    std::unique_ptr<ChunkDecoder> decoder = take_decoder();
    for (size_t i = 0; i < batch.chunks.size(); ++i) {
      Chunk& c = batch.chunks[i];
      c.result = decoder->decode(batch.bytes.get() + i * kChunkSize, c.got, c.chunk_no, *c.part);
      for (Problem& p : c.result.problems) c.part->on_problem(std::move(p));
      c.events = c.result.event_count;
      c.problems = c.result.problems.size();
      c.result.problems = {};
    }
    std::lock_guard lk(spares_mutex_);
    decoders_.push_back(std::move(decoder));
  }

  // Batches to reuse: their bytes are allocated once per unit in flight, not once per unit.
  std::shared_ptr<Batch> take_batch() {
    std::lock_guard lk(spares_mutex_);
    if (batches_.empty()) return std::make_shared<Batch>(max_batch_);
    std::shared_ptr<Batch> b = std::move(batches_.back());
    batches_.pop_back();
    return b;
  }

  // A decoder per thread at a time (each keeps its buffers from one chunk to the next).
  std::unique_ptr<ChunkDecoder> take_decoder() {
    std::lock_guard lk(spares_mutex_);
    if (decoders_.empty()) return std::make_unique<ChunkDecoder>(in_.path(), about_activation_);
    auto d = std::move(decoders_.back());
    decoders_.pop_back();
    return d;
  }

  // Finish step: runs one batch at a time, in file order.
  void deliver(const std::shared_ptr<Batch>& batch) {
    for (Chunk& c : batch->chunks) deliver(c);
    batch->chunks.clear();
    std::lock_guard lk(spares_mutex_);
    batches_.push_back(batch);
  }

  void deliver(Chunk& c) {
    c.part->deliver(ordinal_);
    c.part.reset();
    const ChunkResult& r = c.result;
    stats_.records += c.events;
    stats_.problems += c.problems;
    ordinal_ += r.positions;
    walked_ += r.walked;
    recovered_ += r.recovered;
    stale_ += r.stale;
    header_records_ += r.header_records;
    max_record_number_ = std::max(max_record_number_, r.last_record_number);
    if (c.events) ++chunks_with_records_;
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
  const size_t max_batch_;  // chunks
  ReadStats stats_;
  FileHeader header_;
  uint64_t chunks_ = 0;
  size_t batches_read_ = 0;
  // Owned by the finish steps (one at a time, in order).
  uint64_t ordinal_ = 0, walked_ = 0, recovered_ = 0, stale_ = 0, header_records_ = 0, max_record_number_ = 0;
  uint64_t chunks_with_records_ = 0;
  bool truncated_ = false;
  std::mutex spares_mutex_;  // guards the spares below: decoders and batches between units
  std::vector<std::unique_ptr<ChunkDecoder>> decoders_;
  std::vector<std::shared_ptr<Batch>> batches_;
  OrderedPool pool_;  // last: its destructor waits for units that still use the members above
};

}  // namespace

ReadStats EvtxReader::read(ByteSource& in, RecordSink& sink) {
  RecordBuilder::Classifier about_activation;
  if (kb_)
    about_activation = [kb = kb_](std::string_view provider, std::string_view channel, std::string_view event_id) {
      return kb->activation_layout(provider, channel, event_id);
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
