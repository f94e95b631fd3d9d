// SharedText: copies share one block, so a run's hundreds of thousands of facts carry their kind, machine
// and path without a heap block each; it reads, compares, hashes and prints as the text it holds.
#include "model/shared_text.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace kmsdiag {
namespace {

TEST(SharedText, CopiesShareOneBlock) {
  const SharedText a("kms.client-request");
  const SharedText b = a;
  SharedText c;
  c = b;
  EXPECT_EQ(b.data(), a.data());
  EXPECT_EQ(c.data(), a.data());
  EXPECT_EQ(c, "kms.client-request");
  SharedText moved = std::move(c);
  EXPECT_EQ(moved.data(), a.data());
}

TEST(SharedText, AssigningTheTextItHoldsKeepsItsBlock) {
  SharedText t("PC-0001.corp.example");
  const char* block = t.data();
  t = std::string("PC-0001.corp.example");  // a reader reusing one record assigns the same machine each event
  EXPECT_EQ(t.data(), block);
  t = std::string_view("PC-0002.corp.example");
  EXPECT_NE(t.data(), block);
  EXPECT_EQ(t, "PC-0002.corp.example");
}

TEST(SharedText, EmptyTextHoldsNoBlock) {
  SharedText t;
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.size(), 0u);
  EXPECT_STREQ(t.c_str(), "");
  EXPECT_EQ(t.heap_bytes(), 0u);
  t = "x";
  EXPECT_FALSE(t.empty());
  t = "";
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.heap_bytes(), 0u);
  t = "y";
  t.clear();
  EXPECT_EQ(t, "");
}

TEST(SharedText, ReadsAndComparesAsItsText) {
  const SharedText t("license.state");
  EXPECT_STREQ(t.c_str(), "license.state");
  EXPECT_EQ(t.view(), "license.state");
  EXPECT_EQ(t, std::string("license.state"));
  EXPECT_NE(t, "license");
  EXPECT_LT(t, SharedText("license.statf"));
  EXPECT_GT(t, std::string_view("kms"));
  EXPECT_TRUE(t.starts_with("license."));
  EXPECT_EQ(fmt::format("[{}]", t), "[license.state]");
  EXPECT_EQ(std::hash<SharedText>()(t), std::hash<std::string_view>()("license.state"));
  EXPECT_EQ(t + ".x", "license.state.x");
  EXPECT_EQ("x." + t, "x.license.state");
}

// Records are made on one thread and may be dropped on another: copies of one text come and go on several
// threads at once, and the block is freed once, by the last (TSan and ASan check this).
TEST(SharedText, CopiesMayComeAndGoOnSeveralThreads) {
  const SharedText text("kms.host-request");
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&text] {
      std::vector<SharedText> copies;
      for (int i = 0; i < 20000; ++i) {
        copies.push_back(text);
        if (i % 3 == 0) copies.pop_back();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(text, "kms.host-request");
}

}  // namespace
}  // namespace kmsdiag
