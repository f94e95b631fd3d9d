#include "model/field_slab.hpp"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace kmsdiag {

struct FieldSlab::Block {
  std::atomic<uint64_t> lists{1};  // lists in it, and the slab while it fills it
};
static_assert(sizeof(std::atomic<uint64_t>) <= 16);

namespace {
constexpr size_t kHeader = 16;  // the Block, rounded up: list bytes start 16-aligned

void unref(std::atomic<uint64_t>& count, void* block) {
  if (count.fetch_sub(1, std::memory_order_acq_rel) == 1) std::free(block);
}
}  // namespace

FieldSlab::Block* FieldSlab::block_of(const char* data) {
  return reinterpret_cast<Block*>(reinterpret_cast<uintptr_t>(data) & ~(uintptr_t{kBlockBytes} - 1));
}

void FieldSlab::release(const char* data) {
  Block* block = block_of(data);
  unref(block->lists, block);
}

FieldSlab::~FieldSlab() {
  if (block_) unref(block_->lists, block_);
}

FieldList FieldSlab::copy(const FieldList& from) {
  // An empty list has no bytes to share; a big one would waste most of a block. Both are copied as usual.
  if (from.size_ == 0 || from.size_ > kBlockBytes / 4) return from;
  if (!block_ || used_ + from.size_ > kBlockBytes) {
    void* memory = allocate_page_block(blocks_ > 0);
    if (block_) unref(block_->lists, block_);
    block_ = new (memory) Block;
    used_ = kHeader;
    ++blocks_;
  }
  char* at = reinterpret_cast<char*>(block_) + used_;
  std::memcpy(at, from.data_, from.size_);
  used_ += from.size_;
  block_->lists.fetch_add(1, std::memory_order_relaxed);
  FieldList list;
  list.data_ = at;
  list.size_ = from.size_;
  list.count_ = from.count_;
  if (from.index_) list.rebuild_index();
  return list;
}

}  // namespace kmsdiag
