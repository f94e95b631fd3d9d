// Memory for the few big arrays an analysis fills once, in 2 MiB pages where the kernel allows.
//
// Why: each first write to a 4 KiB page is a page fault, and on a VM each fault is a trip through the
// hypervisor. The 453,101 facts of a 512 MiB Application log, held in 4 KiB pages, took half of a run's
// 19,000 faults; in 2 MiB pages they take a few dozen. Only the arrays that grow big get the advice: huge
// pages under the heap of small blocks would stay partly used, and the 1,000,000-request host log would
// end above its 64 MiB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace kmsdiag {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Asks for transparent huge pages under the whole 2 MiB pages of [p, p + bytes), which is not touched yet.
// Advice only: a kernel without them refuses it, and the pages are then small as before.
void advise_huge_pages(const void* p, size_t bytes);

// A kHugePageBytes block aligned to its size, not initialised; std::free() it. `huge`: one huge page
// under it (for the second block of an array on: a small analysis keeps 4 KiB pages and touches only what
// it fills). Throws std::bad_alloc.
void* allocate_page_block(bool huge);

struct FreePages {
  void operator()(void* p) const { std::free(p); }
};
using PageBuffer = std::unique_ptr<uint8_t[], FreePages>;

// `bytes`, not initialised, for a buffer that is filled whole (read-ahead): from kHugePageBytes up, aligned
// to it and in huge pages; smaller, as malloc gives. Throws std::bad_alloc.
PageBuffer allocate_pages(size_t bytes);

}  // namespace kmsdiag
