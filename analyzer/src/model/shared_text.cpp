#include "model/shared_text.hpp"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>

namespace kmsdiag {

void SharedText::assign(std::string_view text) {
  if (view() == text) return;
  if (text.empty()) return clear();
  if (text.size() >= std::numeric_limits<uint32_t>::max()) throw std::length_error("SharedText: text too long");
  void* memory = std::malloc(sizeof(Block) + text.size() + 1);
  if (memory == nullptr) throw std::bad_alloc();
  Block* block = new (memory) Block{{1}, static_cast<uint32_t>(text.size())};
  char* chars = block->text();
  std::memcpy(chars, text.data(), text.size());
  chars[text.size()] = '\0';
  release();
  block_ = block;
}

void SharedText::release() noexcept {
  if (block_ && block_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    block_->~Block();
    std::free(block_);
  }
}

}  // namespace kmsdiag
