// FactStore keeps the newest facts that fit its budget, whatever order they arrive in (inputs are read
// concurrently), returns them in input order, and accounts for what it left out.
#include "interpret/fact_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace kmsdiag {
namespace {

struct Arrival {
  Record fact;
  uint64_t unit, seq;
};

// Facts of very different sizes and repeated times, spread over 4 units.
std::vector<Arrival> arrivals(size_t n) {
  std::vector<Arrival> out;
  for (size_t i = 0; i < n; ++i) {
    Record r;
    r.kind = "kms.client-request";
    r.source = {"unit" + std::to_string(i % 4) + ".evtx", "record", i + 1, ""};
    r.time_ms = static_cast<int64_t>((i * 7919) % 50) * 1000;  // many facts share a second
    r.set("cmid", std::string((i * 37) % 1500, 'c'));          // sizes from none to 1.5 KB
    out.push_back({std::move(r), i % 4, i / 4});
  }
  return out;
}

std::vector<std::string> kept_in_order(std::vector<Arrival> in, size_t budget, unsigned shuffle_seed,
                                       uint64_t* dropped = nullptr) {
  std::shuffle(in.begin(), in.end(), std::mt19937(shuffle_seed));
  FactStore store(budget);
  for (auto& a : in) store.add(std::move(a.fact), a.unit, a.seq);
  if (dropped) *dropped = store.dropped();
  std::vector<std::string> out;
  for (const Record& r : store.take()) out.push_back(r.source.describe());
  return out;
}

TEST(FactStore, KeepsEverythingWithinTheBudgetInInputOrder) {
  uint64_t dropped = 1;
  const auto kept = kept_in_order(arrivals(40), 1 << 20, 7, &dropped);
  EXPECT_EQ(dropped, 0u);
  ASSERT_EQ(kept.size(), 40u);
  EXPECT_EQ(kept.front(), "unit0.evtx record 1");  // unit 0 first, then by position within the unit
  EXPECT_EQ(kept[1], "unit0.evtx record 5");
}

TEST(FactStore, WhatIsKeptDoesNotDependOnArrivalOrder) {
  const size_t budget = 40 * 1024;  // far less than 400 facts need
  uint64_t dropped = 0;
  const auto reference = kept_in_order(arrivals(400), budget, 1, &dropped);
  EXPECT_GT(dropped, 0u);
  EXPECT_FALSE(reference.empty());
  for (unsigned seed = 2; seed < 40; ++seed) EXPECT_EQ(kept_in_order(arrivals(400), budget, seed), reference) << seed;
}

// The case that needs the floor: a big fact left out must not let an older small one into its room.
TEST(FactStore, AnOlderFactNeverTakesTheRoomANewerOneWasRefused) {
  auto fact = [](int64_t t, size_t value) {
    Record r;
    r.kind = "kms.host-request";
    r.time_ms = t;
    r.set("cmid", std::string(value, 'c'));
    return r;
  };
  const size_t small = fact(0, 0).footprint(), budget = 2 * small + 100;
  for (const auto& order : {std::vector<int>{3, 2, 1}, std::vector<int>{1, 3, 2}, std::vector<int>{2, 1, 3}}) {
    FactStore store(budget);
    for (int t : order) store.add(fact(t, t == 2 ? 4000 : 0), 0, static_cast<uint64_t>(t));
    const auto kept = store.take();
    ASSERT_EQ(kept.size(), 1u);  // only the newest: the big one cannot fit, so nothing older may stay
    EXPECT_EQ(kept[0].time_ms, 3);
  }
}

TEST(FactStore, DropsTheOldestAndSaysUpToWhen) {
  FactStore store(3 * Record{}.footprint() + 600);
  for (int i = 0; i < 10; ++i) {
    Record r;
    r.kind = "spp.service";
    r.time_ms = i * 1000;
    r.source = {"app.evtx", "record", static_cast<uint64_t>(i + 1), ""};
    store.add(std::move(r), 0, static_cast<uint64_t>(i));
  }
  EXPECT_EQ(store.kept() + store.dropped(), 10u);
  EXPECT_GT(store.dropped(), 0u);
  const auto kept = store.take();
  ASSERT_FALSE(kept.empty());
  EXPECT_EQ(kept.back().time_ms, 9000);  // the newest survive
  EXPECT_EQ(store.newest_dropped_ms(), kept.front().time_ms - 1000);
  EXPECT_EQ(store.newest_dropped().position, static_cast<uint64_t>(kept.front().time_ms / 1000));
}

TEST(FactStore, UndatedFactsAreNeverEvicted) {
  FactStore store(2 * Record{}.footprint() + 200);
  Record undated;
  undated.kind = "kms.client-state";
  store.add(std::move(undated), 0, 0);
  for (int i = 0; i < 5; ++i) {
    Record r;
    r.kind = "spp.service";
    r.time_ms = i;
    store.add(std::move(r), 1, static_cast<uint64_t>(i));
  }
  const auto kept = store.take();
  ASSERT_FALSE(kept.empty());
  EXPECT_EQ(kept.front().kind, "kms.client-state");
}

}  // namespace
}  // namespace kmsdiag
