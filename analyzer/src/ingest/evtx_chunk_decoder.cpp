#include "ingest/evtx_chunk_decoder.hpp"

#include <algorithm>

#include "ingest/evtx_value.hpp"

namespace kmsdiag::evtx {

std::string ChunkDecoder::label() const {
  return "chunk " + std::to_string(chunk_no_) + " (file offset " +
         std::to_string(kFileHeaderSize + (chunk_no_ - 1) * kChunkSize) + ")";
}

void ChunkDecoder::problem(std::string message, uint64_t position, uint64_t record_id) {
  Problem p;
  p.where.path = path_;
  if (position) {
    p.where.unit = "record";
    p.where.position = position;
    if (record_id) p.where.record_id = std::to_string(record_id);
  }
  p.message = std::move(message);
  out_.problems.push_back(std::move(p));
}

namespace {

// Keeps the events of a chunk decoded without a sink of its own, for its result.
class ResultEvents final : public RecordSink {
 public:
  void on_record(Record&& r) override { events.emplace_back(std::move(r)); }
  void on_unused_event(UnusedEvent&& e) override { events.emplace_back(std::move(e)); }
  void on_problem(Problem&&) override {}  // the decoder keeps its problems in its result itself

  std::vector<std::variant<Record, UnusedEvent>> events;
};

}  // namespace

ChunkResult ChunkDecoder::decode(const uint8_t* chunk, size_t got, uint64_t chunk_no) {
  ResultEvents keep;
  ChunkResult result = decode(chunk, got, chunk_no, keep);
  result.events = std::move(keep.events);
  return result;
}

ChunkResult ChunkDecoder::decode(const uint8_t* chunk, size_t got, uint64_t chunk_no, RecordSink& events) {
  events_ = &events;
  out_ = ChunkResult{};
  chunk_ = chunk;
  chunk_no_ = chunk_no;
  budget_spent_ = false;
  const bool cut = got < kChunkSize;
  out_.end_of_file = cut;
  if (cut) {
    problem(label() + ": file ends after " + std::to_string(got) + " of 65536 bytes (truncated); " +
                "complete records before the cut are kept",
            1);
    if (got < kChunkHeaderSize) return std::move(out_);
  }
  if (!cut && chunk_is_blank(chunk)) return std::move(out_);  // preallocated, never used
  std::string why;
  const auto header = parse_chunk_header(chunk, why);
  if (!header) {
    problem(label() + ": " + why + "; chunk skipped", 1);
    return std::move(out_);
  }
  if (!cut && !header->header_checksum_ok) problem(label() + ": header checksum mismatch", 1);
  const uint32_t area_end =
      cut ? std::min<uint32_t>(header->free_space, static_cast<uint32_t>(got)) : header->free_space;
  // Records past the free-space offset must continue the chunk's ids (see RecordSlots::recover).
  const uint64_t floor_id = header->first_record_id ? header->first_record_id - 1 : 0;
  records(area_end, cut, static_cast<uint32_t>(got), floor_id);
  if (budget_spent_)
    problem(label() + ": record " + std::to_string(budget_first_) + " of the chunk: " + budget_why_ + "; records " +
                std::to_string(budget_first_) + "-" + std::to_string(out_.positions) + " of the chunk skipped",
            budget_first_);
  // What the chunk header says it holds (an unused chunk's last number is below its first).
  if (header->last_record_number >= header->first_record_number &&
      header->last_record_number - header->first_record_number < kChunkSize / kRecordHeaderSize) {
    out_.header_records = header->last_record_number - header->first_record_number + 1;
    out_.last_record_number = header->last_record_number;
  }
  if (!cut && !header->data_checksum_ok)
    problem(label() + ": record data checksum mismatch; the chunk's records (EventRecordID " +
                std::to_string(header->first_record_id) + "-" + std::to_string(header->last_record_id) +
                ") may hold damaged values",
            1, header->first_record_id);
  return std::move(out_);
}

// In a cut chunk the record the cut runs through is already reported by decode().
void ChunkDecoder::records(uint32_t area_end, bool cut, uint32_t chunk_end, uint64_t floor_id) {
  decoder_.set_chunk(chunk_, static_cast<uint32_t>(kChunkSize));
  templates_.set_chunk();
  RecordSlots slots(chunk_, area_end);
  std::string why;
  uint64_t last_id = floor_id;
  while (const auto slot = slots.next(why)) {
    record(*slot);
    last_id = slot->record_id;
    ++out_.walked;
  }
  if (!why.empty()) {
    if (!cut) problem(label() + ": " + why + "; rest of the chunk skipped", out_.positions + 1);
    return;
  }
  uint32_t stale = 0;
  const uint64_t first_recovered = out_.positions + 1;
  while (const auto slot = slots.recover(chunk_end, last_id, stale)) {
    record(*slot);
    last_id = slot->record_id;
    ++out_.recovered;
  }
  out_.stale = stale;
  if (out_.recovered)
    problem(label() + ": " + std::to_string(out_.recovered) +
                " record(s) found past the chunk's free-space offset (written after its header was last updated: "
                "the log was copied while in use) read as records " +
                std::to_string(first_recovered) + "-" + std::to_string(out_.positions) +
                " of the chunk; nothing checksums them",
            first_recovered);
}

void ChunkDecoder::record(const RecordSlot& slot) {
  const uint64_t position = ++out_.positions;
  if (budget_spent_) return;  // counted with the skipped ones
  builder_.reset();
  try {
    switch (template_shortcut_ ? templates_.read(decoder_, slot.binxml_offset(), slot.binxml_end(), builder_)
                               : TemplateRead::kWalk) {
      case TemplateRead::kUnused:
        ++out_.shortcut;
        break;
      case TemplateRead::kRecord:
        ++out_.shortcut_records;
        break;
      case TemplateRead::kWalk:
        builder_.reset();
        decoder_.decode(slot.binxml_offset(), slot.binxml_end(), builder_);
        break;
    }
  } catch (const WorkBudgetExceeded& e) {
    budget_spent_ = true;
    budget_first_ = position;
    budget_why_ = e.what();
    return;
  } catch (const DecodeError& e) {
    problem(label() + ": record " + std::to_string(position) + " of the chunk: " + e.what() + "; record skipped",
            position, slot.record_id);
    return;
  }
  if (builder_.bad_values())
    problem(label() + ": record " + std::to_string(position) +
                " of the chunk: " + std::to_string(builder_.bad_values()) + " value(s) with malformed bytes left empty",
            position, slot.record_id);
  if (builder_.unused()) {
    // One event kept for them all: a sink that only counts it leaves its strings' room for the next.
    UnusedEvent& e = unused_;
    e.source.path.assign(path_);
    e.source.unit.assign("record");
    e.source.position = position;
    builder_.finish_unused(e, slot.record_id, filetime_to_ms(slot.written));
    ++out_.event_count;
    events_->on_unused_event(std::move(e));
    return;
  }
  // Likewise one record for all (a sink that interprets it and lets it go leaves its fields' room).
  Record& r = record_;
  r.source.path.assign(path_);
  r.source.unit.assign("record");
  r.source.position = position;
  builder_.finish(r, slot.record_id, filetime_to_ms(slot.written));
  ++out_.event_count;
  events_->on_record(std::move(r));
}

}  // namespace kmsdiag::evtx
