#include "ingest/record_parts.hpp"

namespace kmsdiag {

std::unique_ptr<RecordPart> RecordSink::part() { return std::make_unique<BufferedPart>(*this); }

void BufferedPart::deliver(uint64_t shift) {
  for (auto& item : items_) {
    if (auto* r = std::get_if<Record>(&item)) {
      shift_position(r->source, shift);
      to_.on_record(std::move(*r));
    } else if (auto* p = std::get_if<Problem>(&item)) {
      shift_position(p->where, shift);
      to_.on_problem(std::move(*p));
    } else {
      auto& e = std::get<UnusedEvent>(item);
      shift_position(e.source, shift);
      to_.on_unused_event(std::move(e));
    }
  }
  items_.clear();
}

void CountingPart::on_record(Record&& r) {
  ++counts_.records;
  next_->on_record(std::move(r));
}

void CountingPart::on_unused_event(UnusedEvent&& e) {
  ++counts_.records;
  next_->on_unused_event(std::move(e));
}

void CountingPart::on_problem(Problem&& p) {
  if (counts_.kept.size() < keep_) counts_.kept.push_back(p);
  ++counts_.problems;
  next_->on_problem(std::move(p));
}

void CountingPart::deliver(uint64_t shift) {
  next_->deliver(shift);
  for (Problem& p : counts_.kept) shift_position(p.where, shift);
  counted_(counts_);
  counts_ = {};
}

}  // namespace kmsdiag
