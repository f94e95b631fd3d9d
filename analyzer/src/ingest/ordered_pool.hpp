// Runs units of ingest work on a few threads and finishes them in the order they were submitted.
//
// Reading and decoding inputs is the expensive part of an analysis and inputs are independent, so a
// bundle of many files is read on every core. What the units produce must still be merged in input
// order, or the report would depend on thread timing: each unit therefore has a `finish` step that
// runs after its work, one at a time, strictly in submission order.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace kmsdiag {

class OrderedPool {
 public:
  using Step = std::function<void()>;

  // jobs <= 1: no threads, every unit runs on the caller. Fewer threads than asked when the system
  // refuses more (none: as jobs <= 1). At most `jobs` units wait in the queue and at most 2 x jobs
  // submitted units are unfinished (submit blocks beyond either), which bounds the memory that
  // read-ahead units and results waiting for an earlier unit hold.
  explicit OrderedPool(unsigned jobs);
  ~OrderedPool();  // waits for every unit
  OrderedPool(const OrderedPool&) = delete;
  OrderedPool& operator=(const OrderedPool&) = delete;

  // Queues `work` for a worker thread.
  void submit(Step work, Step finish);
  // Runs `work` on the calling thread now (a unit that must stay on it, e.g. a streamed archive member).
  void run_here(Step work, Step finish);
  // Returns when every unit has finished; rethrows the first exception a step threw.
  void wait();

 private:
  void worker();
  void complete(uint64_t seq, Step finish);
  void guarded(const Step& step);

  std::mutex m_;
  std::condition_variable has_work_, has_space_, all_done_;
  std::deque<std::pair<uint64_t, std::pair<Step, Step>>> queue_;
  std::map<uint64_t, Step> ready_;  // finished work whose finish step waits for earlier units
  uint64_t next_seq_ = 0, next_finish_ = 0;
  size_t max_queued_;
  bool flushing_ = false, stopping_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
};

}  // namespace kmsdiag
