// OrderedPool runs work on threads but finishes units strictly in submission order, one at a time.
#include "ingest/ordered_pool.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace kmsdiag {
namespace {

void finishes_in_order(unsigned jobs) {
  std::vector<int> order;
  std::atomic<int> inside{0}, overlaps{0};
  {
    OrderedPool pool(jobs);
    for (int i = 0; i < 200; ++i) {
      // Early units take longest, so later ones are done first and must wait for their turn.
      auto work = [i] { std::this_thread::sleep_for(std::chrono::microseconds((200 - i) * 20)); };
      auto finish = [&, i] {
        if (inside.fetch_add(1) != 0) ++overlaps;
        order.push_back(i);
        inside.fetch_sub(1);
      };
      if (i % 50 == 49)
        pool.run_here(work, finish);
      else
        pool.submit(work, finish);
    }
    pool.wait();
  }
  ASSERT_EQ(order.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(order[i], i);
  EXPECT_EQ(overlaps.load(), 0);
}

TEST(OrderedPool, FinishesInSubmissionOrderOnOneThread) { finishes_in_order(1); }
TEST(OrderedPool, FinishesInSubmissionOrderOnFourThreads) { finishes_in_order(4); }

// Issue 10 item 7: `--jobs 40000` aborted when the system refused a thread (std::system_error from the
// constructor, joinable threads destroyed: std::terminate). With too little address space for 64 stacks the
// pool must work with the threads it got. Runs in a child process: the limit stays there.
[[noreturn]] void finish_in_order_with_room_for_few_stacks() {
  std::ifstream status("/proc/self/status");
  long vm_kb = 0;
  for (std::string key; status >> key;)
    if (key == "VmSize:") status >> vm_kb;
  // Room for the units' own memory and two or three 8 MiB thread stacks, not for 64.
  const rlim_t limit = static_cast<rlim_t>(vm_kb + 24 * 1024) * 1024;
  const rlimit as{limit, limit};
  if (vm_kb == 0 || setrlimit(RLIMIT_AS, &as) != 0) std::exit(2);
  finishes_in_order(64);
  std::exit(::testing::Test::HasFailure() ? 1 : 0);
}

TEST(OrderedPool, WorksWithTheThreadsTheSystemGives) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "sanitizers reserve terabytes of address space: a limit on it cannot be set";
#else
  // The child starts afresh rather than forked: other tests may have left threads of their own running (a
  // big file's digest on idle time), and a fork copies only the thread that forks.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(finish_in_order_with_room_for_few_stacks(), ::testing::ExitedWithCode(0), "");
#endif
}

TEST(OrderedPool, WorkRunsOnSeveralThreadsAtOnce) {
  std::atomic<int> running{0}, most{0};
  OrderedPool pool(2);
  for (int i = 0; i < 8; ++i)
    pool.submit(
        [&] {
          const int now = ++running;
          for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          --running;
        },
        [] {});
  pool.wait();
  EXPECT_EQ(most.load(), 2);
}

TEST(OrderedPool, AnExceptionReachesWaitAndLaterUnitsStillFinish) {
  OrderedPool pool(2);
  int finished = 0;
  pool.submit([] { throw std::runtime_error("unit failed"); }, [&] { ++finished; });
  pool.submit([] {}, [&] { ++finished; });
  EXPECT_THROW(pool.wait(), std::runtime_error);
  EXPECT_EQ(finished, 2);
}

}  // namespace
}  // namespace kmsdiag
