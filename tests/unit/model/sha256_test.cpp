// The digests a report names its inputs and rule set by, and the keyed ones its pseudonyms come from, against
// the published test vectors (FIPS 180-2 for SHA-256, RFC 4231 for HMAC-SHA-256), and a state copied midway
// going on as the original does (the idle digest hands its progress over that way).
#include <gtest/gtest.h>

#include <string>

#include "model/sha256.hpp"

namespace kmsdiag {
namespace {

std::string sha256_hex(std::string_view text) {
  Sha256 sha;
  sha.update(text);
  return sha.hex_digest();
}

TEST(Sha256, PublishedVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 million;
  const std::string block(1000, 'a');
  for (int i = 0; i < 1000; ++i) million.update(block);
  EXPECT_EQ(million.hex_digest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, ACopyGoesOnFromTheSameState) {
  Sha256 original;
  original.update("abcdbcdecdefdefgefghfghighij");
  Sha256 copy(original);
  Sha256 assigned;
  assigned.update("something else");
  assigned = copy;
  for (Sha256* s : {&original, &copy, &assigned}) s->update("hijkijkljklmklmnlmnomnopnopq");
  for (Sha256* s : {&original, &copy, &assigned})
    EXPECT_EQ(s->hex_digest(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(HmacSha256, Rfc4231Vectors) {
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // A key longer than the block is hashed first.
  EXPECT_EQ(hmac_sha256_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(hmac_sha256_hex("", "x"), "4cbc96099a6467ce002461f10549b4898265ebe6188b45efacc44293516e62c4");
}

}  // namespace
}  // namespace kmsdiag
