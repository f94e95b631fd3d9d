// Many kept records' fields, laid out one list after another in shared 2 MiB blocks.
//
// An analysis keeps hundreds of thousands of facts, and correlation and the rules pass over all of them
// about a dozen times. With a heap block per list, the lists lie wherever a fragmented heap had room: each
// pass took a cache miss on nearly every list (70 % of FieldList::locate's time was its first load), and
// making them took a malloc each. Copied into a slab in the order the facts are kept, the lists a pass
// reads lie one after another, in memory that is filled once.
//
// A list in a slab never writes there: the first change copies it to a block of its own (FieldList
// grow_to), so lists sharing a block never see each other change. Each block counts the lists in it and
// is freed with the last of them, so a list may outlive its slab. The price: a list that changes leaves its
// old bytes in the block until then. Correlation changes few kept facts (the 1,000,000-request host log
// peaked about 1 MB higher, the 512 MiB Application log 5 MB lower).
#pragma once

#include <cstddef>

#include "model/field_list.hpp"
#include "model/huge_pages.hpp"

namespace kmsdiag {

class FieldSlab {
 public:
  FieldSlab() = default;
  FieldSlab(const FieldSlab&) = delete;
  FieldSlab& operator=(const FieldSlab&) = delete;
  ~FieldSlab();

  // A list with the same fields as `from`, in this slab (a list too big for a block gets one of its own).
  FieldList copy(const FieldList& from);

  static constexpr size_t kBlockBytes = kHugePageBytes;

 private:
  friend class FieldList;
  struct Block;
  // The block holding `data` (a list's bytes in a slab): blocks are aligned to their size.
  static Block* block_of(const char* data);
  static void release(const char* data);  // a list in a block is gone

  Block* block_ = nullptr;  // the one being filled; the slab holds one reference on it
  size_t used_ = 0;         // bytes of it given out, header included
  size_t blocks_ = 0;       // made so far
};

}  // namespace kmsdiag
