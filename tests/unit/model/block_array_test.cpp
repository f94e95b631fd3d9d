#include "model/block_array.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace kmsdiag {
namespace {

// Counts the live elements, so a test sees every one destroyed exactly once.
struct Tracked {
  Tracked(int v, std::shared_ptr<int> live) : value(v), live(std::move(live)) { ++*this->live; }
  Tracked(const Tracked&) = delete;
  ~Tracked() { --*live; }
  int value;
  std::shared_ptr<int> live;
};

}  // namespace

// Elements never move as the array grows past a block, and draining hands them over in order.
TEST(BlockArray, GrowsAcrossBlocksWithoutMovingAndDrainsInOrder) {
  const auto live = std::make_shared<int>(0);
  BlockArray<Tracked> a;
  const size_t n = 2 * BlockArray<Tracked>::kPerBlock + 7;
  std::vector<const Tracked*> where;
  for (size_t i = 0; i < n; ++i) where.push_back(&a.emplace_back(static_cast<int>(i), live));
  EXPECT_EQ(a.size(), n);
  EXPECT_EQ(*live, static_cast<int>(n));
  for (size_t i = 0; i < n; ++i) {
    ASSERT_EQ(&a[i], where[i]);
    ASSERT_EQ(a[i].value, static_cast<int>(i));
  }
  std::vector<int> seen;
  a.drain([&](Tracked& t) {
    seen.push_back(t.value);
    // The blocks already handed over are freed: only this one and those after it are left.
    EXPECT_LE(*live, static_cast<int>(n - (seen.size() - 1) / BlockArray<Tracked>::kPerBlock *
                                              BlockArray<Tracked>::kPerBlock));
  });
  ASSERT_EQ(seen.size(), n);
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(seen[i], static_cast<int>(i));
  EXPECT_EQ(*live, 0);
  EXPECT_TRUE(a.empty());
  a.emplace_back(1, live);  // usable again after draining
  EXPECT_EQ(a.back().value, 1);
}

// A drain cut short by an exception leaves nothing destroyed twice or leaked.
TEST(BlockArray, ADrainCutShortFreesTheRestOnce) {
  const auto live = std::make_shared<int>(0);
  {
    BlockArray<Tracked> a;
    for (size_t i = 0; i < BlockArray<Tracked>::kPerBlock + 3; ++i) a.emplace_back(1, live);
    size_t calls = 0;
    EXPECT_THROW(a.drain([&](Tracked&) {
      if (++calls == BlockArray<Tracked>::kPerBlock + 1) throw std::runtime_error("stop");
    }),
                 std::runtime_error);
    EXPECT_EQ(*live, 3);
  }
  EXPECT_EQ(*live, 0);
}

}  // namespace kmsdiag
