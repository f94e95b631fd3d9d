#include "ingest/event_xml_block_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace kmsdiag {

uint64_t count_newlines(const char* p, size_t n) {
  uint64_t lines = 0;
  const char* end = p + n;
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr) {
    ++lines;
    ++p;
  }
  return lines;
}

EventXmlBlockBuffer::EventXmlBlockBuffer(ByteSource& in, size_t block_size, size_t capacity)
    : in_(in),
      block_size_(std::max<size_t>(block_size, 1)),
      capacity_(std::max(capacity, block_size_)),
      buf_(std::make_shared_for_overwrite<char[]>(capacity_)) {}

bool EventXmlBlockBuffer::fill() {
  if (eof_ || full()) return false;
  // Move the unconsumed tail to the front only when a whole block no longer fits behind it, so
  // the copy happens once per block at most and is one partial event long.
  if (capacity_ - end_ < block_size_ && begin_ > 0) {
    if (next_block_) {
      Block next = next_block_();
      std::memcpy(next.get(), buf_.get() + begin_, end_ - begin_);
      buf_ = std::move(next);
    } else {
      std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    }
    end_ -= begin_;
    begin_ = 0;
  }
  const size_t got = in_.read(buf_.get() + end_, std::min(block_size_, capacity_ - end_));
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  bytes_read_ += got;
  return true;
}

size_t EventXmlBlockBuffer::ensure(size_t n) {
  while (size() < n && fill()) {
  }
  return size();
}

void EventXmlBlockBuffer::consume(size_t n) { consume_counted(n, count_newlines(data(), n)); }

void EventXmlBlockBuffer::consume_counted(size_t n, uint64_t newlines) {
  begin_ += n;
  line_ += newlines;
  if (begin_ == end_ && !next_block_) begin_ = end_ = 0;
}

EventXmlBlockPool::EventXmlBlockPool(size_t block_size, size_t max_blocks)
    : block_size_(block_size), max_blocks_(std::max<size_t>(max_blocks, 2)) {
  state_->free.reserve(max_blocks_);  // a block's deleter puts it back without allocating
}

EventXmlBlockBuffer::Block EventXmlBlockPool::get() {
  std::unique_lock lock(state_->m);
  state_->returned.wait(lock, [this] { return !state_->free.empty() || state_->made < max_blocks_; });
  char* block = nullptr;
  if (state_->free.empty()) {
    ++state_->made;
    block = std::make_unique_for_overwrite<char[]>(block_size_).release();
  } else {
    block = state_->free.back().release();
    state_->free.pop_back();
  }
  return EventXmlBlockBuffer::Block(block, [state = state_](char* b) {
    const std::lock_guard back(state->m);
    state->free.emplace_back(b);
    state->returned.notify_one();
  });
}

}  // namespace kmsdiag
