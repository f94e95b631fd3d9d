// Archives (zip) read in place: each member is streamed to a callback as its own ByteSource.
// Nothing is extracted to disk. Limits guard against zip bombs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ingest/byte_source.hpp"
#include "model/record.hpp"

namespace kmsdiag {

struct ArchiveLimits {
  uint64_t max_members = 10000;
  uint64_t max_member_bytes = 8ULL << 30;  // 8 GiB uncompressed per member
  uint64_t max_total_bytes = 64ULL << 30;  // 64 GiB uncompressed in all
  uint64_t max_ratio = 1000;               // uncompressed / compressed, per member
};

// True when the head starts a zip archive.
bool looks_like_archive(std::string_view head);

// Streams every regular member of the archive in `in` to `member` (path "archive!member").
// Damage and limits become Problems passed to `problem`; reading goes on with the next member where
// the format allows.
void read_archive(ByteSource& in, const std::function<void(ByteSource& member)>& member,
                  const std::function<void(Problem&&)>& problem, const ArchiveLimits& limits = {});

}  // namespace kmsdiag
