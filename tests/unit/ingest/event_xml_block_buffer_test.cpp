// The event XML reader's buffer, and the blocks it shares with the threads that parse events where they were
// read (issue 10): a byte consumed stays as it was for as long as its block is held, and the blocks that exist
// at once are bounded.
#include "ingest/event_xml_block_buffer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace kmsdiag {
namespace {

std::string numbered_text(size_t size) {
  std::string s;
  for (size_t i = 0; s.size() < size; ++i) s += std::to_string(i) + ",";
  s.resize(size);
  return s;
}

// Reads all of `text` through a buffer that shares its blocks, holding every block it consumed from and what it
// consumed there: nothing held may change while the buffer reads on.
TEST(EventXmlBlockBuffer, SharedBlocksKeepEveryConsumedByteWhileHeld) {
  const std::string text = numbered_text(100'000);
  MemorySource src("in.xml", text);
  EventXmlBlockBuffer buf(src, 700, 2000);
  EventXmlBlockPool pool(buf.capacity(), 1000);
  size_t moves = 0;
  buf.share_blocks([&] {
    ++moves;
    return pool.get();
  });
  struct Held {
    EventXmlBlockBuffer::Block block;
    const char* at;
    size_t offset, size;
  };
  std::vector<Held> held;
  size_t offset = 0;
  for (size_t step = 1; buf.size() > 0 || buf.fill(); step = step % 97 + 13) {
    buf.ensure(step);
    const size_t n = step % 3 == 0 ? buf.size() : std::min(step, buf.size());  // at times all it holds
    held.push_back({buf.block(), buf.data(), offset, n});
    buf.consume(n);
    offset += n;
  }
  EXPECT_EQ(offset, text.size());
  EXPECT_GT(moves, 40u);
  for (const Held& h : held) ASSERT_EQ(std::string_view(h.at, h.size), text.substr(h.offset, h.size)) << h.offset;
}

// Unshared, the buffer keeps one block and reads the same bytes.
TEST(EventXmlBlockBuffer, UnsharedReadsTheSameBytesInOneBlock) {
  const std::string text = numbered_text(50'000);
  MemorySource src("in.xml", text);
  EventXmlBlockBuffer buf(src, 700, 2000);
  const char* const first = buf.block().get();
  std::string read;
  while (buf.size() > 0 || buf.fill()) {
    read.append(buf.view());
    buf.consume(buf.size());
  }
  EXPECT_EQ(read, text);
  EXPECT_EQ(buf.block().get(), first);
}

// At most max_blocks exist: one more waits until a holder lets go of one, and then gets that one.
TEST(EventXmlBlockPool, WaitsForABlockBeyondItsBound) {
  EventXmlBlockPool pool(64, 2);
  EventXmlBlockBuffer::Block a = pool.get();
  EventXmlBlockBuffer::Block b = pool.get();
  ASSERT_NE(a.get(), b.get());
  const char* const a_bytes = a.get();
  std::atomic<bool> got = false;
  EventXmlBlockBuffer::Block c;
  std::thread waiter([&] {
    c = pool.get();
    got = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(got);
  a.reset();
  waiter.join();
  EXPECT_TRUE(got);
  EXPECT_EQ(c.get(), a_bytes);  // the block given back, not a new one
}

// Blocks outlive their pool: each gives itself back to what the pool leaves behind.
TEST(EventXmlBlockPool, BlocksMayOutliveThePool) {
  EventXmlBlockBuffer::Block kept;
  {
    EventXmlBlockPool pool(64, 2);
    kept = pool.get();
    kept[0] = 'x';
  }
  EXPECT_EQ(kept[0], 'x');
  kept.reset();
}

}  // namespace
}  // namespace kmsdiag
