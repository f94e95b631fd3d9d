// An array that grows in 2 MiB blocks, huge pages from the second block on (model/huge_pages.hpp).
//
// For the arrays an analysis fills with hundreds of thousands of elements and keeps: unlike a vector it
// has no doubling slack and never moves what it holds; unlike a std::deque (512-byte nodes, five facts
// each) it makes one allocation per 2 MiB and, in huge pages, one page fault.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "model/huge_pages.hpp"

namespace kmsdiag {

template <class T>
class BlockArray {
 public:
  static_assert(sizeof(T) <= kHugePageBytes && alignof(T) <= 16);
  static constexpr size_t kPerBlock = kHugePageBytes / sizeof(T);

  BlockArray() = default;
  BlockArray(const BlockArray&) = delete;
  BlockArray& operator=(const BlockArray&) = delete;
  ~BlockArray() { clear(); }

  template <class... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == blocks_.size() * kPerBlock) blocks_.push_back(static_cast<T*>(allocate_page_block(!blocks_.empty())));
    T* at = blocks_[size_ / kPerBlock] + size_ % kPerBlock;
    ::new (static_cast<void*>(at)) T{std::forward<Args>(args)...};
    ++size_;
    return *at;
  }

  T& operator[](size_t i) { return blocks_[i / kPerBlock][i % kPerBlock]; }
  const T& operator[](size_t i) const { return blocks_[i / kPerBlock][i % kPerBlock]; }
  T& back() { return (*this)[size_ - 1]; }
  const T& front() const { return (*this)[0]; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Calls f on each element in order and empties the array, freeing each block once f has had all of it:
  // what f builds from the elements grows as the array shrinks, and the two are never whole at once.
  template <class F>
  void drain(F f) {
    for (size_t b = 0; b < blocks_.size(); ++b) {
      const size_t n = in_block(b);
      for (size_t i = 0; i < n; ++i) f(blocks_[b][i]);
      free_block(b);
    }
    blocks_.clear();
    size_ = 0;
  }

  void clear() {
    for (size_t b = 0; b < blocks_.size(); ++b) free_block(b);
    blocks_ = {};
    size_ = 0;
  }

 private:
  size_t in_block(size_t b) const { return std::min(kPerBlock, size_ - b * kPerBlock); }
  void free_block(size_t b) {
    if (!blocks_[b]) return;  // drained already (f threw)
    std::destroy_n(blocks_[b], in_block(b));
    std::free(blocks_[b]);
    blocks_[b] = nullptr;
  }

  std::vector<T*> blocks_;
  size_t size_ = 0;
};

}  // namespace kmsdiag
