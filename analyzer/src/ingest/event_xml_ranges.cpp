#include "ingest/event_xml_ranges.hpp"

#include <variant>

namespace kmsdiag {

struct EventXmlRanges::Range {
  EventXmlBlockBuffer::Block block;  // holds every event's bytes
  Items items;
  std::unique_ptr<RecordPart> out;
};

EventXmlRanges::EventXmlRanges(RecordSink& sink, std::string path, const Knowledge* kb, unsigned threads,
                               size_t range_size)
    : sink_(sink), path_(std::move(path)), kb_(kb), range_size_(range_size), pool_(threads) {
  if (threads <= 1)
    direct_ = std::make_unique<EventXmlParser>(path_, kb_);
  else
    range_ = new_range();
}

EventXmlRanges::~EventXmlRanges() = default;

void EventXmlRanges::add_event(char* text, size_t size, const EventXmlPlace& at,
                               const EventXmlBlockBuffer::Block& block) {
  if (direct_) return direct_->parse(text, size, at, sink_);
  if (range_->block != block) {  // a range's events lie in one block: the blocks held stay few
    flush();
    range_->block = block;
  }
  range_->items.emplace_back(PendingEvent{text, size, at});
  range_bytes_ += size;
  if (range_bytes_ >= (sparse_.load(std::memory_order_relaxed) ? kSparseRangeFactor : 1) * range_size_ ||
      range_->items.size() >= kMaxRangeItems)
    flush();
}

void EventXmlRanges::add_problem(Problem&& p) {
  if (direct_) return sink_.on_problem(std::move(p));
  range_->items.emplace_back(std::move(p));
  if (range_->items.size() >= kMaxRangeItems) flush();
}

void EventXmlRanges::finish() {
  if (range_) flush();
  pool_.wait();
}

void EventXmlRanges::flush() {
  if (range_->items.empty()) return;
  std::shared_ptr<Range> range = std::exchange(range_, new_range());
  range_bytes_ = 0;
  pool_.submit([this, range] { parse(*range); }, [range] { range->out->deliver(0); });
}

void EventXmlRanges::parse(Range& range) {
  std::unique_ptr<EventXmlParser> parser = take_parser();
  const uint64_t built_before = parser->records_built();
  size_t events = 0;
  for (auto& item : range.items) {
    if (const auto* e = std::get_if<PendingEvent>(&item)) {
      parser->parse(e->text, e->size, e->at, *range.out);
      ++events;
    } else {
      range.out->on_problem(std::move(std::get<Problem>(item)));
    }
  }
  sparse_.store((parser->records_built() - built_before) * kSparseRecords <= events, std::memory_order_relaxed);
  // The input is not needed while the range waits for its turn to deliver: give it back now.
  range.items.clear();
  range.block.reset();
  const std::lock_guard lk(parsers_mutex_);
  spare_items_.push_back(std::move(range.items));
  parsers_.push_back(std::move(parser));
}

std::shared_ptr<EventXmlRanges::Range> EventXmlRanges::new_range() {
  auto range = std::make_shared<Range>();
  range->out = sink_.part();
  const std::lock_guard lk(parsers_mutex_);
  if (!spare_items_.empty()) {
    range->items = std::move(spare_items_.back());
    spare_items_.pop_back();
  }
  return range;
}

std::unique_ptr<EventXmlParser> EventXmlRanges::take_parser() {
  std::lock_guard lk(parsers_mutex_);
  if (parsers_.empty()) return std::make_unique<EventXmlParser>(path_, kb_);
  auto parser = std::move(parsers_.back());
  parsers_.pop_back();
  return parser;
}

}  // namespace kmsdiag
