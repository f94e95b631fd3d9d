// A bounded window over a ByteSource for the event XML reader: bytes are appended a block at a
// time and consumed from the front, so memory stays at (capacity) however large the input is.
// Tracks the line number of the first unconsumed byte by counting the newlines it consumes.
// A reader that hands events to other threads leaves their bytes where they were read (share_blocks):
// then the buffer never moves or overwrites a consumed byte, and reads on into a new block when its
// block is full; the old one is freed when the last range that points into it lets go of it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "ingest/byte_source.hpp"

namespace kmsdiag {

class EventXmlBlockBuffer {
 public:
  using Block = std::shared_ptr<char[]>;

  EventXmlBlockBuffer(ByteSource& in, size_t block_size, size_t capacity);

  char* data() { return buf_.get() + begin_; }  // the unconsumed bytes (mutable: parsed in place)
  size_t size() const { return end_ - begin_; }
  std::string_view view(size_t from = 0) const { return {buf_.get() + begin_ + from, end_ - begin_ - from}; }
  bool eof() const { return eof_; }
  bool full() const { return size() == capacity_; }

  // Appends up to one block. False when nothing was added (end of input, or the buffer is full).
  bool fill();
  // Fills until at least n unconsumed bytes are held, the input ends or the buffer is full.
  size_t ensure(size_t n);
  // Drops n bytes from the front, counting their newlines.
  void consume(size_t n);
  // Drops n bytes whose newlines the caller already counted (their content may be overwritten).
  void consume_counted(size_t n, uint64_t newlines);

  uint64_t line() const { return line_; }  // 1-based line of data()[0]
  uint64_t bytes_read() const { return bytes_read_; }

  size_t capacity() const { return capacity_; }
  // From now on a consumed byte stays where it is, unchanged, for as long as its block is held: the block
  // that holds data() is block(). When it fills up, the unconsumed bytes move to `next()`, a block of
  // capacity() bytes, and reading goes on there.
  void share_blocks(std::function<Block()> next) { next_block_ = std::move(next); }
  const Block& block() const { return buf_; }

 private:
  ByteSource& in_;
  size_t block_size_;
  size_t capacity_;
  Block buf_;
  std::function<Block()> next_block_;  // set: blocks are shared
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  uint64_t line_ = 1;
  uint64_t bytes_read_ = 0;
};

// Newlines in [p, p + n).
uint64_t count_newlines(const char* p, size_t n);

// Blocks of one size for a buffer that shares its blocks: a block comes back to the pool when its last holder
// lets go of it, and at most `max_blocks` exist at once, so the memory they take stays bounded however far the
// parsing lags behind the reading.
class EventXmlBlockPool {
 public:
  EventXmlBlockPool(size_t block_size, size_t max_blocks);
  // A block given back, or a new one while fewer than max_blocks exist; else waits for one. With two blocks
  // or more, one of which the caller holds, another always comes back once what points into it is parsed.
  EventXmlBlockBuffer::Block get();

 private:
  struct State {
    std::mutex m;
    std::condition_variable returned;
    std::vector<std::unique_ptr<char[]>> free;
    size_t made = 0;
  };
  size_t block_size_, max_blocks_;
  std::shared_ptr<State> state_ = std::make_shared<State>();  // also held by every block it gave out
};

}  // namespace kmsdiag
