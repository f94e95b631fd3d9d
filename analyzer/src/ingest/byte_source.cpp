#include "ingest/byte_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "model/printable_text.hpp"

namespace kmsdiag {

FileSource::FileSource(const std::string& path) : path_(printable(path)) {
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw std::runtime_error(std::string("cannot open: ") + std::strerror(errno));
}

FileSource::~FileSource() {
  if (file_) std::fclose(file_);
}

size_t FileSource::read(char* buf, size_t n) {
  const size_t got = std::fread(buf, 1, n, file_);
  if (got < n && std::ferror(file_)) throw std::runtime_error(std::string("read error: ") + std::strerror(errno));
  return got;
}

std::string_view PeekableSource::peek(size_t n) {
  while (head_.size() < n) {
    const size_t want = n - head_.size();
    const size_t old = head_.size();
    head_.resize(n);
    const size_t got = inner_.read(head_.data() + old, want);
    head_.resize(old + got);
    if (got == 0) break;
  }
  return std::string_view(head_).substr(0, std::min(n, head_.size()));
}

size_t PeekableSource::read(char* buf, size_t n) {
  if (replayed_ < head_.size()) {
    const size_t k = std::min(n, head_.size() - replayed_);
    std::memcpy(buf, head_.data() + replayed_, k);
    replayed_ += k;
    return k;
  }
  return inner_.read(buf, n);
}

size_t MemorySource::read(char* buf, size_t n) {
  const size_t k = std::min(n, data_.size() - pos_);
  std::memcpy(buf, data_.data() + pos_, k);
  pos_ += k;
  return k;
}

}  // namespace kmsdiag
