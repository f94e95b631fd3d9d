// Each input file's SHA-256 is computed while it is read, a big file's beside its reading (issues 11, 10): a
// stream that cannot be read twice has one, a file whose name is not UTF-8 has one, a file no reader knows
// has one (the rest is read for it), and an archive has the digest of its own bytes while its members have
// none.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "ingest/background_sha256.hpp"
#include "ingest/idle_digest.hpp"
#include "ingest/ingest_driver.hpp"
#include "model/sha256.hpp"

namespace kmsdiag {
namespace {

namespace fs = std::filesystem;

struct Collect final : IngestSink {
  void on_record(Record&&) override {}
  void on_problem(Problem&&) override {}
};

std::string digest(const std::string& bytes) {
  Sha256 sha;
  sha.update(bytes);
  return sha.hex_digest();
}

class InputDigest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("kmsdiag-digest-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& data) {
    const std::string path = (dir_ / name).string();
    FILE* f = std::fopen(path.c_str(), "wb");
    EXPECT_NE(f, nullptr);
    std::fwrite(data.data(), 1, data.size(), f);
    std::fclose(f);
    return path;
  }
  fs::path dir_;
};

const std::string kSlmgr =
    "Name: Windows(R), Professional edition\nDescription: Windows(R) Operating System, VOLUME_KMSCLIENT channel\n"
    "License Status: Licensed\n";

TEST_F(InputDigest, AFileWhoseNameIsNotUtf8HasTheDigestOfItsBytes) {
  const std::string path = write("caf\xe9-dlv.txt", kSlmgr);  // Latin-1 name
  Collect sink;
  const auto out = ingest_paths({path}, Knowledge{}, sink);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NE(out[0].path, path);  // printed escaped; the digest is of the file all the same
  EXPECT_EQ(out[0].sha256.str(), digest(kSlmgr));
}

TEST_F(InputDigest, AFileNoReaderKnowsIsReadToItsEndForTheDigest) {
  std::string junk(300'000, 'x');  // longer than what format detection looks at
  junk[299'999] = 'y';
  const std::string path = write("notes.bin", junk);
  Collect sink;
  const auto out = ingest_paths({path}, Knowledge{}, sink);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].skipped.empty());
  EXPECT_EQ(out[0].sha256.str(), digest(junk));
}

// A big file is hashed on the cores' idle time (idle_digest.hpp), the same bytes coming down a pipe on a
// thread the reader feeds (BackgroundSha256): either way every byte, in order.
TEST_F(InputDigest, ABigInputIsHashedOnAThreadOfItsOwnToTheSameDigest) {
  std::string big;
  for (int i = 0; big.size() < BackgroundSha256::kInlineBytes + 5 * BackgroundSha256::kBlockSize + 99; ++i)
    big += "<Event><System><EventID>" + std::to_string(i % 70000) + "</EventID></System></Event>\n";
  ASSERT_GE(big.size(), kIdleDigestMinBytes);
  const std::string path = write("big.xml", big);
  Collect sink;
  const auto out = ingest_paths({path}, Knowledge{}, sink);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_GT(out[0].records, 0u);
  EXPECT_EQ(out[0].sha256.str(), digest(big));

  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const int saved = ::dup(STDIN_FILENO);
  ASSERT_EQ(::dup2(pipe_fds[0], STDIN_FILENO), STDIN_FILENO);
  ::close(pipe_fds[0]);
  std::thread writer([&] {
    for (size_t at = 0; at < big.size();) {
      const ssize_t n = ::write(pipe_fds[1], big.data() + at, big.size() - at);
      if (n <= 0) break;
      at += static_cast<size_t>(n);
    }
    ::close(pipe_fds[1]);
  });
  const auto piped = ingest_paths({"-"}, Knowledge{}, sink);
  writer.join();
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  ASSERT_EQ(piped.size(), 1u);
  EXPECT_EQ(piped[0].records, out[0].records);
  EXPECT_EQ(piped[0].sha256.str(), digest(big));
}

TEST_F(InputDigest, StandardInputIsHashedAsItIsRead) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const int saved = ::dup(STDIN_FILENO);
  ASSERT_EQ(::dup2(pipe_fds[0], STDIN_FILENO), STDIN_FILENO);
  ::close(pipe_fds[0]);
  ASSERT_EQ(::write(pipe_fds[1], kSlmgr.data(), kSlmgr.size()), static_cast<ssize_t>(kSlmgr.size()));
  ::close(pipe_fds[1]);
  Collect sink;
  const auto out = ingest_paths({"-"}, Knowledge{}, sink);
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].sha256.str(), digest(kSlmgr));
}

TEST_F(InputDigest, AFileThatCannotBeOpenedHasNone) {
  Collect sink;
  const auto out = ingest_paths({(dir_ / "absent.evtx").string()}, Knowledge{}, sink);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].sha256.str(), "");
}

}  // namespace
}  // namespace kmsdiag
