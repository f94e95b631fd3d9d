#include "ingest/ordered_pool.hpp"

#include <system_error>
#include <utility>

namespace kmsdiag {

OrderedPool::OrderedPool(unsigned jobs) : max_queued_(jobs) {
  if (jobs <= 1) return;
  // The system may refuse threads (RLIMIT_NPROC, memory for stacks): work with the ones it gave. With
  // none at all, submit() runs every unit on the caller.
  try {
    for (unsigned i = 0; i < jobs; ++i) threads_.emplace_back([this] { worker(); });
  } catch (const std::system_error&) {
  }
}

OrderedPool::~OrderedPool() {
  {
    std::unique_lock lk(m_);
    all_done_.wait(lk, [this] { return next_finish_ == next_seq_; });
    stopping_ = true;
  }
  has_work_.notify_all();
  for (auto& t : threads_) t.join();
}

void OrderedPool::guarded(const Step& step) {
  try {
    step();
  } catch (...) {
    std::lock_guard lk(m_);
    if (!error_) error_ = std::current_exception();
  }
}

void OrderedPool::submit(Step work, Step finish) {
  if (threads_.empty()) return run_here(std::move(work), std::move(finish));
  {
    std::unique_lock lk(m_);
    // Finished units waiting for their finish step hold what they read (records' problems, summaries,
    // decoded chunks): when finishing falls behind (a slow earlier unit, a finish step printing thousands
    // of problems), reading waits rather than piling them up.
    has_space_.wait(lk, [this] { return queue_.size() < max_queued_ && next_seq_ - next_finish_ < 2 * max_queued_; });
    queue_.emplace_back(next_seq_++, std::make_pair(std::move(work), std::move(finish)));
  }
  has_work_.notify_one();
}

void OrderedPool::run_here(Step work, Step finish) {
  uint64_t seq;
  {
    std::lock_guard lk(m_);
    seq = next_seq_++;
  }
  guarded(work);
  complete(seq, std::move(finish));
}

void OrderedPool::worker() {
  for (;;) {
    std::unique_lock lk(m_);
    has_work_.wait(lk, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    auto [seq, steps] = std::move(queue_.front());
    queue_.pop_front();
    lk.unlock();
    has_space_.notify_one();
    guarded(steps.first);
    complete(seq, std::move(steps.second));
  }
}

// Whoever completes the unit next in line runs the finish steps of every consecutive ready unit;
// `flushing_` makes sure only one thread does so at a time, so finish steps never overlap.
void OrderedPool::complete(uint64_t seq, Step finish) {
  std::unique_lock lk(m_);
  ready_.emplace(seq, std::move(finish));
  if (flushing_) return;
  flushing_ = true;
  while (!ready_.empty() && ready_.begin()->first == next_finish_) {
    Step step = std::move(ready_.begin()->second);
    ready_.erase(ready_.begin());
    lk.unlock();
    guarded(step);
    lk.lock();
    ++next_finish_;
  }
  flushing_ = false;
  all_done_.notify_all();
  has_space_.notify_all();
}

void OrderedPool::wait() {
  std::unique_lock lk(m_);
  all_done_.wait(lk, [this] { return next_finish_ == next_seq_; });
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

}  // namespace kmsdiag
