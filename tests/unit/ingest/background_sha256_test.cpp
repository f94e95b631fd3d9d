// A big input is hashed on a thread of its own (issue 10): the digest must be the same as hashing every
// byte in order on one thread, whatever the sizes the reader asks for, across the switch from hashing in
// line to the thread, and whether the digest is asked for or the hash is dropped unfinished.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "ingest/background_sha256.hpp"
#include "model/sha256.hpp"

namespace kmsdiag {
namespace {

std::string bytes_of(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(gen());
  return s;
}

std::string one_thread(std::string_view data) {
  Sha256 sha;
  sha.update(data);
  return sha.hex_digest();
}

// Feeds `data` in pieces of the given sizes, in turn.
std::string background(std::string_view data, const std::vector<size_t>& pieces) {
  BackgroundSha256 sha;
  for (size_t i = 0; !data.empty(); ++i) {
    const size_t n = std::min(data.size(), pieces[i % pieces.size()]);
    sha.update(data.substr(0, n));
    data.remove_prefix(n);
  }
  return sha.hex_digest();
}

TEST(BackgroundSha256, KnownDigests) {
  EXPECT_EQ(background("", {1}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(background("abc", {1}), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(BackgroundSha256, SameDigestAsOneThreadAcrossTheSwitchAndEveryBlockEdge) {
  constexpr size_t kInline = BackgroundSha256::kInlineBytes, kBlock = BackgroundSha256::kBlockSize;
  const std::string data = bytes_of(kInline + 3 * BackgroundSha256::kBlocks * kBlock + 12345, 7);
  // Sizes of the whole input: small, at the switch, one block past it, many blocks (the reader waits).
  for (const size_t size :
       {size_t{0}, size_t{1}, kInline - 1, kInline, kInline + 1, kInline + kBlock, kInline + kBlock + 1, data.size()}) {
    const std::string_view in = std::string_view(data).substr(0, size);
    const std::string want = one_thread(in);
    // Piece sizes: as a reader's blocks, odd, larger than a block, and one piece for all.
    for (const std::vector<size_t>& pieces :
         std::vector<std::vector<size_t>>{{65536}, {1, 4095, 70001}, {kBlock + 1}, {3 * kBlock}, {data.size() + 1}}) {
      EXPECT_EQ(background(in, pieces), want) << "size " << size << ", first piece " << pieces[0];
    }
  }
}

TEST(BackgroundSha256, DroppedUnfinishedStopsItsThread) {
  const std::string data = bytes_of(BackgroundSha256::kInlineBytes + 10 * BackgroundSha256::kBlockSize, 3);
  for (int i = 0; i < 8; ++i) {
    BackgroundSha256 sha;
    sha.update(data);
  }  // destroyed without a digest: joins (a leaked or unjoined thread would terminate the test)
  SUCCEED();
}

}  // namespace
}  // namespace kmsdiag
