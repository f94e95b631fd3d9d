#include "model/field_slab.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace kmsdiag {
namespace {

FieldList fields(const std::string& tag, size_t n = 3) {
  FieldList f;
  for (size_t i = 0; i < n; ++i) f.append("k" + std::to_string(i), tag + std::to_string(i));
  return f;
}

std::string text(const FieldList& f) {
  std::string out;
  for (const FieldView& v : f) out += std::string(v.key) + "=" + std::string(v.value) + ";";
  return out;
}

}  // namespace

// Lists share a block, so a change to one must not reach its neighbours: it moves to a block of its own.
TEST(FieldSlab, ListsChangeWithoutTouchingTheirNeighbours) {
  std::vector<FieldList> lists;
  {
    FieldSlab slab;
    for (int i = 0; i < 3; ++i) lists.push_back(slab.copy(fields("v" + std::to_string(i) + ".")));
  }  // the slab is gone; its lists keep the block
  EXPECT_EQ(text(lists[0]), "k0=v0.0;k1=v0.1;k2=v0.2;");
  lists[1].assign("k1", "changed, and longer than before");
  lists[1].assign("k0", "s");                                       // shorter: still never written in place in the slab
  lists[1].append("k3", std::string(lists[1].find("k2").value()));  // from its own (moved) bytes
  lists[2].clear();
  lists[2].append("new", "list");
  EXPECT_EQ(text(lists[0]), "k0=v0.0;k1=v0.1;k2=v0.2;");
  EXPECT_EQ(text(lists[1]), "k0=s;k1=changed, and longer than before;k2=v1.2;k3=v1.2;");
  EXPECT_EQ(text(lists[2]), "new=list;");
  FieldList copied = lists[0];
  FieldList moved = std::move(lists[0]);
  lists.clear();
  EXPECT_EQ(text(copied), "k0=v0.0;k1=v0.1;k2=v0.2;");
  EXPECT_EQ(text(moved), "k0=v0.0;k1=v0.1;k2=v0.2;");
}

// Many lists fill several blocks; every list reads back as it was, keyed lookups included (an indexed list
// past kIndexedFrom fields too), and each block is freed with its last list (ASan checks the freeing).
TEST(FieldSlab, ListsOverManyBlocksReadBackAsCopied) {
  FieldSlab slab;
  std::vector<FieldList> lists;
  const std::string value(200, 'x');
  for (size_t i = 0; i < 30000; ++i) {
    FieldList f;
    f.append("id", std::to_string(i));
    f.append("value", value);
    lists.push_back(slab.copy(f));
  }
  const FieldList wide = slab.copy(fields("w", 2 * FieldList::kIndexedFrom));
  const FieldList big = slab.copy(fields(std::string(FieldSlab::kBlockBytes / 2, 'b'), 1));
  const FieldList empty = slab.copy(FieldList());
  for (size_t i = 0; i < lists.size(); i += 997) {
    EXPECT_EQ(lists[i].find("id"), std::to_string(i));
    EXPECT_EQ(lists[i].find("value"), value);
  }
  EXPECT_EQ(lists.back().find("id"), "29999");
  EXPECT_EQ(wide.find("k63"), "w63");
  EXPECT_EQ(wide.find("missing"), std::nullopt);
  EXPECT_EQ(big.find("k0")->size(), FieldSlab::kBlockBytes / 2 + 1);
  EXPECT_TRUE(empty.empty());
  // A list takes in the slab what it holds, no room for growth: "id" 1 + 1 length bytes, "value" 1 + 2.
  EXPECT_EQ(lists[0].heap_bytes(), (2 + 2 + 1) + (3 + 5 + value.size()));
  for (size_t i = 0; i < lists.size(); i += 2) lists[i] = FieldList();  // blocks half released, in any order
  EXPECT_EQ(lists[1].find("id"), "1");
}

// Facts are made on the thread that delivers them and may be dropped on another: the lists of one block let go
// of it from several threads at once, and the block is freed once, by the last (TSan and ASan check this).
TEST(FieldSlab, ListsOfOneBlockMayGoOnSeveralThreads) {
  std::vector<FieldList> lists;
  {
    FieldSlab slab;
    for (int i = 0; i < 20000; ++i) lists.push_back(slab.copy(fields("t" + std::to_string(i), 2)));
  }
  std::vector<FieldList> odd, even;
  for (size_t i = 0; i < lists.size(); ++i) (i % 2 ? odd : even).push_back(std::move(lists[i]));
  size_t wrong = 0;
  std::thread a([&odd] { odd.clear(); });
  std::thread b([&even, &wrong] {
    for (size_t i = 0; i < even.size(); ++i) {
      even[i].append("changed", "on its own now");  // copies out, then lets go of the block
      if (even[i].find("k1") != "t" + std::to_string(2 * i) + "1" || even[i].find("changed") != "on its own now")
        ++wrong;
    }
    even.clear();
  });
  a.join();
  b.join();
  EXPECT_EQ(wrong, 0u);
}

}  // namespace kmsdiag
