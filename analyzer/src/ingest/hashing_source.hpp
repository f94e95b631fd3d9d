// Computes the SHA-256 of an input while it is read, so a report can name the exact bytes it analysed
// without reading any input twice (a pipe or FIFO cannot be read twice at all).
#pragma once

#include <string>

#include "ingest/background_sha256.hpp"
#include "ingest/byte_source.hpp"

namespace kmsdiag {

class HashingSource final : public ByteSource {
 public:
  explicit HashingSource(ByteSource& inner) : inner_(inner) {}
  size_t read(char* buf, size_t n) override;
  const std::string& path() const override { return inner_.path(); }
  // Reads whatever the reader left unread (a skipped file, a reader that stopped early) and returns the
  // digest of every byte of the input; "" when the rest cannot be read. Call once, after the reader.
  std::string finish();

 private:
  ByteSource& inner_;
  BackgroundSha256 sha_;
  bool failed_ = false;  // a read threw: the digest would not be of the whole input
};

}  // namespace kmsdiag
