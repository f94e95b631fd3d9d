#include "ingest/byte_source.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "model/printable_text.hpp"

namespace kmsdiag {

namespace {

std::runtime_error system_error(const char* what) {
  return std::runtime_error(what + std::string(": ") + std::strerror(errno));
}

// Waits up to `wait` for a program to open the FIFO `fd` (non-blocking) for writing, and returns the
// first bytes it sent, if any came while waiting.
std::string wait_for_writer(int fd, std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) return std::string(buf, static_cast<size_t>(n));
    if (n < 0 && errno == EAGAIN) return "";  // a writer is there, nothing sent yet: read on as from a pipe
    if (n < 0 && errno != EINTR) throw system_error("read error");
    if (n < 0) continue;
    // End of input: no writer yet, or one that came and left without sending anything.
    // Rounded up: poll() counts whole milliseconds, and the promised wait is never cut short.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      throw std::runtime_error(fmt::format("FIFO: no program opened it for writing within {:g} s",
                                           static_cast<double>(wait.count()) / 1000));
    pollfd p{fd, POLLIN, 0};
    // Linux reports a hang-up only once a writer has come and gone: the input is empty.
    if (::poll(&p, 1, static_cast<int>(left.count())) > 0 && (p.revents & POLLHUP) && !(p.revents & POLLIN)) return "";
  }
}

}  // namespace

FileSource::FileSource(const std::string& path, std::chrono::milliseconds fifo_wait) : path_(printable(path)) {
  int fd;
  if (path == "-") {
    path_ = "(standard input)";
    fd = ::dup(STDIN_FILENO);  // fclose must not close the process's standard input
    if (fd < 0) throw system_error("cannot read standard input");
  } else {
    // Without O_NONBLOCK, opening a FIFO waits for a writer, however long that takes.
    fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw system_error("cannot open");
    struct stat st {};
    try {
      if (::fstat(fd, &st) != 0) throw system_error("cannot open");
      if (S_ISFIFO(st.st_mode)) first_ = wait_for_writer(fd, fifo_wait);
      if (::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) throw system_error("cannot open");
    } catch (...) {
      ::close(fd);
      throw;
    }
  }
  file_ = ::fdopen(fd, "rb");
  if (!file_) {
    ::close(fd);
    throw system_error("cannot open");
  }
}

FileSource::~FileSource() {
  if (file_) std::fclose(file_);
}

size_t FileSource::read(char* buf, size_t n) {
  if (first_read_ < first_.size()) {
    const size_t k = std::min(n, first_.size() - first_read_);
    std::memcpy(buf, first_.data() + first_read_, k);
    first_read_ += k;
    return k;
  }
  const size_t got = std::fread(buf, 1, n, file_);
  if (got < n && std::ferror(file_)) throw std::runtime_error(std::string("read error: ") + std::strerror(errno));
  return got;
}

std::string_view PeekableSource::peek(size_t n) {
  while (head_.size() < n) {
    const size_t want = n - head_.size();
    const size_t old = head_.size();
    head_.resize(n);
    const size_t got = inner_.read(head_.data() + old, want);
    head_.resize(old + got);
    if (got == 0) break;
  }
  return std::string_view(head_).substr(0, std::min(n, head_.size()));
}

size_t PeekableSource::read(char* buf, size_t n) {
  if (replayed_ < head_.size()) {
    const size_t k = std::min(n, head_.size() - replayed_);
    std::memcpy(buf, head_.data() + replayed_, k);
    replayed_ += k;
    return k;
  }
  return inner_.read(buf, n);
}

size_t MemorySource::read(char* buf, size_t n) {
  const size_t k = std::min(n, data_.size() - pos_);
  std::memcpy(buf, data_.data() + pos_, k);
  pos_ += k;
  return k;
}

}  // namespace kmsdiag
