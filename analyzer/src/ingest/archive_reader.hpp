// Archives (zip) read in place: each member is streamed to a callback as its own ByteSource.
// Nothing is extracted to disk. Limits guard against zip bombs, nested ones included.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/byte_source.hpp"
#include "model/record.hpp"

namespace kmsdiag {

struct ArchiveLimits {
  uint64_t max_members = 10000;            // in all, however deeply archives nest
  uint64_t max_member_bytes = 8ULL << 30;  // 8 GiB uncompressed per member
  uint64_t max_total_bytes = 64ULL << 30;  // 64 GiB uncompressed in all, however deeply archives nest
  uint64_t max_ratio = 1000;               // uncompressed / compressed bytes consumed, per member
  unsigned max_depth = 8;                  // archives inside archives: a bundle of zipped folders is 2
};

// What the archives of one input may still use. Every archive nested in it, and every thread reading
// their members, draws on the same budget, so nesting one zip in another never resets a limit.
struct ArchiveBudget {
  explicit ArchiveBudget(const ArchiveLimits& l = {}) : limits(l) {}
  const ArchiveLimits limits;
  std::atomic<uint64_t> bytes{0};    // uncompressed bytes handed out
  std::atomic<uint64_t> members{0};  // members met
  std::atomic<bool> stop_reported{false};
};

// Where an input sits: inside how many archives, and the budget of the outermost one.
struct ArchiveNesting {
  std::shared_ptr<ArchiveBudget> budget = std::make_shared<ArchiveBudget>();
  unsigned depth = 0;  // 0: not inside an archive
  ArchiveNesting inner() const { return {budget, depth + 1}; }
};

// True when the head starts a zip archive.
bool looks_like_archive(std::string_view head);

// Streams every regular member of the archive in `in` to `member` (path "archive!member"); the
// members themselves sit at nesting.inner(). Damage and limits become Problems passed to `problem`;
// reading goes on with the next member where the format allows. A limit met inside a member makes
// that member's read() throw, naming the limit, so its reader's problem says why it was cut. When
// streaming reaches the central directory, it is read too, and every member it lists that streaming did
// not meet (hidden by a local header that lies), or met with another size, is a problem.
void read_archive(ByteSource& in, const ArchiveNesting& nesting, const std::function<void(ByteSource& member)>& member,
                  const std::function<void(Problem&&)>& problem);

}  // namespace kmsdiag
