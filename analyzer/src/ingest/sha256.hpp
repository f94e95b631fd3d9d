// SHA-256 digests in lower-case hex, computed by Nettle (a maintained Debian library, not hand-written
// crypto). They name what a report was made from: the rule set and each input file. Nettle's context is a
// plain struct: no global state to set up, nothing allocated (OpenSSL 3 loaded its providers during the
// first file read and raised the peak RSS of a 1,000,000-request host log by 1.9 MB).
#pragma once

#include <nettle/sha2.h>

#include <optional>
#include <string>
#include <string_view>

namespace kmsdiag {

class Sha256 {
 public:
  Sha256() { sha256_init(&ctx_); }
  void update(std::string_view bytes) {
    sha256_update(&ctx_, bytes.size(), reinterpret_cast<const uint8_t*>(bytes.data()));
  }
  std::string hex_digest();  // ends this digest; call once

 private:
  sha256_ctx ctx_;
};

// The digest of a file's bytes, read in blocks (bounded memory for any size); nullopt when it cannot be read.
std::optional<std::string> sha256_of_file(const std::string& path);

}  // namespace kmsdiag
