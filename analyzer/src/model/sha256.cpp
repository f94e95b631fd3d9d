#include "model/sha256.hpp"

#include <gcrypt.h>

#include <fstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace kmsdiag {
namespace {

// libgcrypt wants its version checked before any other call, once; no secure memory is needed (nothing here
// is a long-lived secret). A function-local static: the first caller initialises, any other waits.
void use_gcrypt() {
  static const bool ready = [] {
    if (gcry_check_version(GCRYPT_VERSION) == nullptr)
      throw std::runtime_error("libgcrypt is older than the one kmsdiag was built with");
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    return true;
  }();
  (void)ready;
}

gcry_md_hd_t open_sha256(unsigned flags) {
  use_gcrypt();
  gcry_md_hd_t h = nullptr;
  if (const gcry_error_t e = gcry_md_open(&h, GCRY_MD_SHA256, flags); e != 0)
    throw std::runtime_error(fmt::format("SHA-256 unavailable: {}", gcry_strerror(e)));
  return h;
}

std::string hex(const unsigned char* bytes) {
  std::string out;
  out.reserve(64);
  for (size_t i = 0; i < 32; ++i) out += fmt::format("{:02x}", bytes[i]);
  return out;
}

}  // namespace

Sha256::Sha256() : h_(open_sha256(0)) {}

Sha256::Sha256(const Sha256& other) {
  if (const gcry_error_t e = gcry_md_copy(&h_, other.h_); e != 0)
    throw std::runtime_error(fmt::format("SHA-256 state not copied: {}", gcry_strerror(e)));
}

Sha256& Sha256::operator=(const Sha256& other) {
  if (this != &other) {
    Sha256 copy(other);
    std::swap(h_, copy.h_);
  }
  return *this;
}

Sha256::~Sha256() { gcry_md_close(h_); }

void Sha256::update(std::string_view bytes) { gcry_md_write(h_, bytes.data(), bytes.size()); }

std::string Sha256::hex_digest() { return hex(gcry_md_read(h_, GCRY_MD_SHA256)); }

std::optional<std::string> sha256_of_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  Sha256 sha;
  std::vector<char> block(1 << 16);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    sha.update(std::string_view(block.data(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) return std::nullopt;
  return sha.hex_digest();
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  gcry_md_hd_t h = open_sha256(GCRY_MD_FLAG_HMAC);
  gcry_md_setkey(h, key.data(), key.size());
  gcry_md_write(h, data.data(), data.size());
  std::string out = hex(gcry_md_read(h, GCRY_MD_SHA256));
  gcry_md_close(h);
  return out;
}

}  // namespace kmsdiag
