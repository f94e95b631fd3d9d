#include "ingest/hashing_source.hpp"

#include <vector>

namespace kmsdiag {

size_t HashingSource::read(char* buf, size_t n) {
  size_t got = 0;
  try {
    got = inner_.read(buf, n);
  } catch (...) {
    failed_ = true;
    throw;
  }
  sha_.update(std::string_view(buf, got));
  return got;
}

std::string HashingSource::finish() {
  if (failed_) return "";
  try {
    std::vector<char> block(1 << 16);
    while (read(block.data(), block.size()) > 0) {
    }
  } catch (const std::exception&) {
    return "";
  }
  return sha_.hex_digest();
}

}  // namespace kmsdiag
