// The rule set's digest a JSON report records, reproducible with sha256sum (each input file's is computed as
// it is read: tests/unit/ingest/input_digest_test.cpp).
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "cli/run_provenance.hpp"
#include "model/sha256.hpp"

namespace kmsdiag {
namespace {

namespace fs = std::filesystem;

class RunProvenance : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kmsdiag-provenance-" + std::to_string(getpid()));
    fs::create_directories(dir_ / "tables");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream((dir_ / name).string(), std::ios::binary) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST(Sha256, KnownVectors) {
  Sha256 empty;
  EXPECT_EQ(empty.hex_digest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 abc;
  abc.update("a");
  abc.update("bc");
  EXPECT_EQ(abc.hex_digest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(RunProvenance, RuleSetDigestIsTheDigestOfItsSortedSha256sumListing) {
  const std::string b = write("b.yaml", "b\n");
  const std::string t = write("tables/t.yaml", "t\n");
  const std::string a = write("a.yaml", "abc");
  const RuleSetIdentity id = identify_rule_set(dir_.string(), {t, b, a});
  Sha256 listing;
  listing.update(*sha256_of_file(a) + "  a.yaml\n" + *sha256_of_file(b) + "  b.yaml\n" + *sha256_of_file(t) +
                 "  tables/t.yaml\n");
  EXPECT_EQ(id.sha256, listing.hex_digest());
  EXPECT_EQ(id.files, 3u);
  EXPECT_EQ(id.path, dir_.string());
  // Any byte of any file changes it.
  write("tables/t.yaml", "T\n");
  EXPECT_NE(identify_rule_set(dir_.string(), {t, b, a}).sha256, id.sha256);
}

TEST_F(RunProvenance, AFileThatVanishedIsAnErrorNamingIt) {
  const std::string gone = (dir_ / "gone.yaml").string();
  try {
    identify_rule_set(dir_.string(), {gone});
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("gone.yaml"), std::string::npos);
  }
}

}  // namespace
}  // namespace kmsdiag
