// A bounded window over a ByteSource for the event XML reader: bytes are appended a block at a
// time and consumed from the front, so memory stays at (capacity) however large the input is.
// Tracks the line number of the first unconsumed byte by counting the newlines it consumes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "ingest/byte_source.hpp"

namespace kmsdiag {

class EventXmlBlockBuffer {
 public:
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

 private:
  ByteSource& in_;
  size_t block_size_;
  size_t capacity_;
  std::unique_ptr<char[]> buf_;
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  uint64_t line_ = 1;
  uint64_t bytes_read_ = 0;
};

// Newlines in [p, p + n).
uint64_t count_newlines(const char* p, size_t n);

}  // namespace kmsdiag
