// FileSource on streams (issue 10 item 8): a FIFO is opened once and read from its first byte, and a FIFO
// nobody writes to fails after the wait instead of hanging.
#include "ingest/byte_source.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

namespace kmsdiag {
namespace {

namespace fs = std::filesystem;

class Fifo : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("kmsdiag-fifo-" + std::to_string(::getpid()));
    fs::remove(path_);
    ASSERT_EQ(::mkfifo(path_.c_str(), 0600), 0);
  }
  void TearDown() override { fs::remove(path_); }

  static std::string read_all(ByteSource& in) {
    std::string out;
    char buf[1000];  // smaller than a pipe buffer: the first block must not be the only one
    for (size_t n; (n = in.read(buf, sizeof buf)) > 0;) out.append(buf, n);
    return out;
  }

  fs::path path_;
};

TEST_F(Fifo, EveryByteFromTheFirstArrives) {
  std::string sent;
  for (int i = 0; i < 20000; ++i) sent += "line " + std::to_string(i) + "\n";
  std::thread writer([&] {
    const int fd = ::open(path_.c_str(), O_WRONLY);  // waits for the reader, as a shell redirection does
    for (size_t at = 0; at < sent.size();) {
      const ssize_t n = ::write(fd, sent.data() + at, std::min<size_t>(8192, sent.size() - at));
      if (n <= 0) break;
      at += static_cast<size_t>(n);
    }
    ::close(fd);
  });
  FileSource in(path_.string());
  const std::string got = read_all(in);
  writer.join();
  EXPECT_EQ(got.size(), sent.size());
  EXPECT_EQ(got.substr(0, 20), sent.substr(0, 20));
  EXPECT_EQ(got, sent);
}

TEST_F(Fifo, AWriterThatSendsNothingIsAnEmptyInput) {
  std::thread writer([&] { ::close(::open(path_.c_str(), O_WRONLY)); });
  FileSource in(path_.string(), std::chrono::milliseconds(5000));
  writer.join();
  EXPECT_EQ(read_all(in), "");
}

TEST_F(Fifo, NoWriterFailsAfterTheWaitInsteadOfHanging) {
  const auto start = std::chrono::steady_clock::now();
  try {
    FileSource in(path_.string(), std::chrono::milliseconds(300));
    FAIL() << "opened a FIFO nobody writes to";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "FIFO: no program opened it for writing within 0.3 s");
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(300));
}

TEST(FileSource, DashIsStandardInput) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const int saved = ::dup(STDIN_FILENO);
  ASSERT_EQ(::dup2(pipe_fds[0], STDIN_FILENO), STDIN_FILENO);
  ::close(pipe_fds[0]);
  ASSERT_EQ(::write(pipe_fds[1], "from stdin", 10), 10);
  ::close(pipe_fds[1]);
  std::string got;
  {
    FileSource in("-");
    EXPECT_EQ(in.path(), "(standard input)");
    char buf[64];
    got.assign(buf, in.read(buf, sizeof buf));
  }
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  EXPECT_EQ(got, "from stdin");
}

}  // namespace
}  // namespace kmsdiag
