// SHA-256 digests in lower-case hex, computed by OpenSSL's libcrypto (a maintained Debian library, not
// hand-written crypto). They name what a report was made from: the rule set and each input file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace kmsdiag {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  std::string hex_digest();  // ends this digest; call once

 private:
  evp_md_ctx_st* ctx_;
};

// The digest of a file's bytes, read in blocks (bounded memory for any size); nullopt when it cannot be read.
std::optional<std::string> sha256_of_file(const std::string& path);

}  // namespace kmsdiag
