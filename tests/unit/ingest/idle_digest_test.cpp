// A big regular file is hashed on the cores' idle time (issue 10): the digest is that of every byte in
// order whether the idle thread finished it, got part of the way, or never started it before it was asked
// for; a file that changed after it was opened has none; anything else is left to be hashed as read. A digest
// started ahead of the reading is taken over by it.
#include "ingest/idle_digest.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "model/sha256.hpp"

namespace kmsdiag {
namespace {

namespace fs = std::filesystem;

std::string bytes_of(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(gen());
  return s;
}

std::string digest_of(const std::string& data) {
  Sha256 sha;
  sha.update(data);
  return sha.hex_digest();
}

class IdleDigestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("kmsdiag-idle-digest-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    for (const int fd : fds_) ::close(fd);
    fs::remove_all(dir_);
  }
  // The file written, and a descriptor open on it (as the reader's would be).
  int open_new(const std::string& name, const std::string& data) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    fds_.push_back(fd);
    return fd;
  }
  fs::path dir_;
  std::vector<int> fds_;
};

TEST_F(IdleDigestTest, SmallFilesFifosAndFoldersAreLeftToBeHashedAsRead) {
  EXPECT_EQ(hash_on_idle_time(open_new("small.evtx", std::string(kIdleDigestMinBytes - 1, 'x'))), nullptr);
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int fifo_fd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(fifo_fd, 0);
  fds_.push_back(fifo_fd);
  EXPECT_EQ(hash_on_idle_time(fifo_fd), nullptr);
  const int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(dir_fd, 0);
  fds_.push_back(dir_fd);
  EXPECT_EQ(hash_on_idle_time(dir_fd), nullptr);
  EXPECT_EQ(hash_on_idle_time(-1), nullptr);
}

// Several files queued at once are hashed one after another by one thread; asked for in reverse order,
// the last ones are taken over before the thread reached them, the first perhaps midway.
TEST_F(IdleDigestTest, EveryDigestIsOfEveryByteWhoeverHashedIt) {
  std::vector<std::string> data;
  std::vector<std::shared_ptr<const DigestInProgress>> digests;
  for (uint32_t i = 0; i < 4; ++i) {
    data.push_back(bytes_of(kIdleDigestMinBytes + 12345 * i + 1, i));
    digests.push_back(hash_on_idle_time(open_new("in" + std::to_string(i), data.back())));
    ASSERT_NE(digests.back(), nullptr);
  }
  for (size_t i = digests.size(); i-- > 0;) EXPECT_EQ(digests[i]->digest(), digest_of(data[i])) << i;
  for (size_t i = 0; i < digests.size(); ++i) EXPECT_EQ(digests[i]->digest(), digest_of(data[i])) << i;
}

TEST_F(IdleDigestTest, ADigestAskedForLateIsTheSame) {
  const std::string data = bytes_of(kIdleDigestMinBytes * 2, 7);
  const auto digest = hash_on_idle_time(open_new("late.evtx", data));
  ASSERT_NE(digest, nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the idle thread has had time to end it
  EXPECT_EQ(digest->digest(), digest_of(data));
}

// The bytes hashed would not be those the reader read: no digest rather than a wrong one.
TEST_F(IdleDigestTest, AFileThatChangedAfterItWasOpenedHasNone) {
  const std::string data = bytes_of(kIdleDigestMinBytes * 8, 8);
  const auto cut = hash_on_idle_time(open_new("cut.evtx", data));
  ASSERT_NE(cut, nullptr);
  fs::resize_file(dir_ / "cut.evtx", data.size() / 2);
  const auto touched = hash_on_idle_time(open_new("touched.evtx", data));
  ASSERT_NE(touched, nullptr);
  const timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
  ASSERT_EQ(::utimensat(AT_FDCWD, (dir_ / "touched.evtx").c_str(), times, 0), 0);
  EXPECT_EQ(cut->digest(), "");
  EXPECT_EQ(touched->digest(), "");
}

// A digest started ahead, before its file is read, is the one the reading then takes over: one hash of the
// file, not two. One started for a file that changed before the reading opened it is not taken.
TEST_F(IdleDigestTest, ADigestStartedAheadIsTakenOverByTheReading) {
  const std::string data = bytes_of(kIdleDigestMinBytes + 99, 9);
  const int fd = open_new("ahead.xml", data);
  const auto ahead = hash_ahead((dir_ / "ahead.xml").string());
  ASSERT_NE(ahead, nullptr);
  const auto taken = hash_on_idle_time(fd);
  EXPECT_EQ(taken.get(), ahead.get());
  EXPECT_EQ(taken->digest(), digest_of(data));
  const auto again = hash_on_idle_time(fd);  // taken once: a second reading starts its own
  ASSERT_NE(again, nullptr);
  EXPECT_NE(again.get(), taken.get());
  EXPECT_EQ(again->digest(), digest_of(data));

  const auto before_change = hash_ahead((dir_ / "ahead.xml").string());
  const timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
  ASSERT_EQ(::utimensat(AT_FDCWD, (dir_ / "ahead.xml").c_str(), times, 0), 0);
  const auto after_change = hash_on_idle_time(fd);
  ASSERT_NE(after_change, nullptr);
  EXPECT_NE(after_change.get(), before_change.get());
  EXPECT_EQ(after_change->digest(), digest_of(data));  // its own, from the file as it is now

  EXPECT_EQ(hash_ahead((dir_ / "missing.xml").string()), nullptr);  // nothing to start: the reading says why
  EXPECT_EQ(hash_ahead(dir_.string()), nullptr);
  // A FIFO is not even opened: with no writer that would wait forever, with one it would take its reader.
  ASSERT_EQ(::mkfifo((dir_ / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(hash_ahead((dir_ / "fifo").string()), nullptr);
  open_new("small.xml", "<Event/>");
  EXPECT_EQ(hash_ahead((dir_ / "small.xml").string()), nullptr);
}

}  // namespace
}  // namespace kmsdiag
