// SHA-256 digests in lower-case hex, computed by libgcrypt (a maintained Debian library, not hand-written
// crypto). They name what a report was made from: the rule set and each input file; keyed (HMAC), they give
// a redacted report its pseudonyms. Hashing a big input is the longest serial step of reading it, and
// libgcrypt hashes a run of blocks per call with SHA-NI: 0.64 s per GiB here, where Nettle 3.8 (one call
// per 64-byte block) took 0.73. OpenSSL 3 is as fast, but only through EVP, which loaded its providers
// during the first file read and raised the peak RSS of a 1,000,000-request host log by 1.9 MB.
#pragma once

#include <optional>
#include <string>
#include <string_view>

struct gcry_md_handle;

namespace kmsdiag {

class Sha256 {
 public:
  Sha256();
  Sha256(const Sha256& other);  // the state so far: hashing may go on from either
  Sha256& operator=(const Sha256& other);
  ~Sha256();
  void update(std::string_view bytes);
  std::string hex_digest();  // ends this digest; call once

 private:
  gcry_md_handle* h_ = nullptr;
};

// The digest of a file's bytes, read in blocks (bounded memory for any size); nullopt when it cannot be read.
std::optional<std::string> sha256_of_file(const std::string& path);

// HMAC-SHA-256 of `data` under `key`, in lower-case hex.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace kmsdiag
