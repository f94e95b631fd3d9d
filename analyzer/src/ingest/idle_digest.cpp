#include "ingest/idle_digest.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "model/sha256.hpp"

namespace kmsdiag {
namespace {

constexpr size_t kBlock = size_t{256} << 10;

// Whether `now` describes the file `then` did, unchanged: the same file, size, modification and status-change
// times.
bool unchanged(const struct stat& then, const struct stat& now) {
  return then.st_dev == now.st_dev && then.st_ino == now.st_ino && then.st_size == now.st_size &&
         then.st_mtim.tv_sec == now.st_mtim.tv_sec && then.st_mtim.tv_nsec == now.st_mtim.tv_nsec &&
         then.st_ctim.tv_sec == now.st_ctim.tv_sec && then.st_ctim.tv_nsec == now.st_ctim.tv_nsec;
}

// One file's hashing, shared by the idle thread and whoever asks for the digest first: the thread
// publishes how far it got after each block, and the one who asks before it is done takes over from there.
class IdleDigest final : public DigestInProgress {
 public:
  IdleDigest(int fd, const struct stat& opened) : fd_(fd), opened_(opened) {}
  ~IdleDigest() override { ::close(fd_); }
  IdleDigest(const IdleDigest&) = delete;
  IdleDigest& operator=(const IdleDigest&) = delete;

  // On the idle thread: hashes from where the last one stopped, until the end, a waiter takes over, or
  // `stopping` (the process exits).
  void hash_idle(std::string& buffer, const std::atomic<bool>& stopping) const {
    Progress p;
    {
      const std::lock_guard lock(m_);
      if (taken_) return;
      p = progress_;
    }
    for (;;) {
      if (stopping) return;
      const bool more = step(p, buffer);
      const std::lock_guard lock(m_);
      if (taken_) return;
      if (!more) {
        done(finish(p));
        return;
      }
      progress_ = p;
    }
  }

  const std::string& digest() const override {
    std::unique_lock lock(m_);
    if (!done_ && taken_) finished_.wait(lock, [this] { return done_; });
    if (done_) return result_;
    taken_ = true;
    Progress p = progress_;
    lock.unlock();
    std::string buffer(kBlock, '\0');
    while (step(p, buffer)) {
    }
    std::string hex = finish(p);
    lock.lock();
    done(std::move(hex));
    return result_;
  }

 private:
  struct Progress {
    Sha256 sha;
    off_t at = 0;
    bool failed = false;
  };
  // Hashes the next block: false at the end, or on an error (p.failed).
  bool step(Progress& p, std::string& buffer) const {
    for (;;) {
      const ssize_t n = ::pread(fd_, buffer.data(), buffer.size(), p.at);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        p.failed = n < 0;
        return false;
      }
      p.sha.update(std::string_view(buffer.data(), static_cast<size_t>(n)));
      p.at += n;
      return true;
    }
  }
  std::string finish(Progress& p) const {
    struct stat now {};
    const bool same = !p.failed && ::fstat(fd_, &now) == 0 && now.st_size == p.at && unchanged(opened_, now);
    return same ? p.sha.hex_digest() : "";
  }
  void done(std::string hex) const {  // with m_ held
    result_ = std::move(hex);
    done_ = true;
    finished_.notify_all();
  }

  const int fd_;
  const struct stat opened_;
  mutable std::mutex m_;
  mutable std::condition_variable finished_;
  mutable Progress progress_;  // as far as the idle thread got
  mutable bool taken_ = false, done_ = false;
  mutable std::string result_;
};

// The thread runs at nice 2: two thirds of a parsing thread's share of a busy core (CFS weight 655 against
// 1024), and all of an idle one. The hash is one serial stream, and whatever of it is left when the parsing
// ends, the report waits for on one core while the other idles; what it takes earlier, the parsing gets back
// later on two cores. At the lowest priority there is (SCHED_IDLE) every wakeup of a parsing thread preempted
// it: on 2 cores a 512 MiB log took 0.86 s instead of 0.75 at nice 10 (medians of 9 alternating runs). As the
// parsing got cheaper the hash needed more: nice 5 beat 10 when a 1 GiB event XML took 2.3 CPU-s, and at
// 1.8 CPU-s nice 2 beats 5 there (--jobs 2, medians of 15 alternating runs: 0.951 against 1.010 s, then
// 1.007 against 1.087; nice 0 took 0.974 and 1.020 in those rounds, and in a first one nice 0, 3 and 5 took
// 0.973, 0.990 and 1.020). The 512 MiB EVTX log took the same time at nice 0, 2 and 5.
void lower_own_priority() { (void)setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 2); }

// The files waiting to be hashed, and the one thread that hashes them in turn: one thread for any number
// of files, and a descriptor (no buffer) for each that waits. The thread ends when no file waits (a later
// file starts another), so none lingers once the digests are done; at exit it stops after its current block.
class DigestQueue {
 public:
  static DigestQueue& instance() {
    static DigestQueue queue;
    return queue;
  }
  void push(std::shared_ptr<const IdleDigest> d) {
    const std::lock_guard lock(mutex_);
    waiting_.push_back(std::move(d));
    if (running_) return;
    if (thread_.joinable()) thread_.join();  // one that ran out of files: it needs the lock no more
    running_ = true;
    thread_ = std::thread([this] { run(); });
  }
  ~DigestQueue() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  DigestQueue() = default;
  void run() {
    lower_own_priority();
    std::string buffer(kBlock, '\0');
    std::unique_lock lock(mutex_);
    while (!waiting_.empty() && !stopping_) {
      std::shared_ptr<const IdleDigest> d = std::move(waiting_.front());
      waiting_.pop_front();
      lock.unlock();
      d->hash_idle(buffer, stopping_);
      d.reset();
      lock.lock();
    }
    running_ = false;
  }

  std::mutex mutex_;
  std::deque<std::shared_ptr<const IdleDigest>> waiting_;
  bool running_ = false;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

// The digests hash_ahead() started that no reading has taken over yet, each with its file as it was opened.
class AheadDigests {
 public:
  static AheadDigests& instance() {
    static AheadDigests ahead;
    return ahead;
  }
  void add(const struct stat& st, std::shared_ptr<const IdleDigest> d) {
    const std::lock_guard lock(mutex_);
    started_.emplace_back(st, std::move(d));
  }
  // The one started for the file `st` describes, unchanged since; nullptr when there is none.
  std::shared_ptr<const IdleDigest> take(const struct stat& st) {
    const std::lock_guard lock(mutex_);
    for (auto it = started_.begin(); it != started_.end(); ++it) {
      if (unchanged(it->first, st)) {
        std::shared_ptr<const IdleDigest> d = std::move(it->second);
        started_.erase(it);
        return d;
      }
    }
    return nullptr;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<struct stat, std::shared_ptr<const IdleDigest>>> started_;
};

bool hashed_on_idle_time(const struct stat& st) {
  const auto size = static_cast<uint64_t>(st.st_size);
  return S_ISREG(st.st_mode) && size >= kIdleDigestMinBytes && size <= kIdleDigestMaxBytes;
}

}  // namespace

std::shared_ptr<const DigestInProgress> hash_on_idle_time(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !hashed_on_idle_time(st)) return nullptr;
  if (std::shared_ptr<const IdleDigest> ahead = AheadDigests::instance().take(st)) return ahead;
  const int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (own < 0) return nullptr;
  auto digest = std::make_shared<const IdleDigest>(own, st);
  DigestQueue::instance().push(digest);
  return digest;
}

std::shared_ptr<const DigestInProgress> hash_ahead(const std::string& path) {
  // Never blocks nor takes bytes from what is not a regular file: a FIFO's writer waits for its one reader.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !hashed_on_idle_time(st)) return nullptr;  // the reading says why
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return nullptr;
  if (::fstat(fd, &st) != 0 || !hashed_on_idle_time(st)) {
    ::close(fd);
    return nullptr;
  }
  auto digest = std::make_shared<const IdleDigest>(fd, st);
  AheadDigests::instance().add(st, digest);
  DigestQueue::instance().push(digest);
  return digest;
}

}  // namespace kmsdiag
