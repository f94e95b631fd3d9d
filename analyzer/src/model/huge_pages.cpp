#include "model/huge_pages.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>

namespace kmsdiag {

void advise_huge_pages(const void* p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  constexpr uintptr_t kHuge = kHugePageBytes;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kHuge - 1);
  if (end > begin) (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

namespace {
// `bytes` (a multiple of kHugePageBytes) aligned to kHugePageBytes, in huge pages if `huge`.
void* aligned_pages(size_t bytes, bool huge) {
  void* memory = std::aligned_alloc(kHugePageBytes, bytes);
  if (!memory) throw std::bad_alloc();
  if (huge) advise_huge_pages(memory, bytes);
  return memory;
}
}  // namespace

void* allocate_page_block(bool huge) { return aligned_pages(kHugePageBytes, huge); }

PageBuffer allocate_pages(size_t bytes) {
  if (bytes >= kHugePageBytes) {
    const size_t rounded = (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
    return PageBuffer(static_cast<uint8_t*>(aligned_pages(rounded, true)));
  }
  void* memory = std::malloc(bytes);
  if (!memory) throw std::bad_alloc();
  return PageBuffer(static_cast<uint8_t*>(memory));
}

}  // namespace kmsdiag
