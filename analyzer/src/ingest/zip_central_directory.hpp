// A zip's central directory, read from the stream after the archive's last member. A streaming reader
// trusts each member's local header, and one that lies (a size too big) hides the members it swallows;
// the central directory still lists them. Read from the stream rather than by seeking in a file, it checks
// every zip the same way: on disk, on a pipe or standard input, or nested in another zip.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/byte_source.hpp"

namespace kmsdiag {

struct CentralDirectoryEntry {
  std::string stored_name;  // the name's bytes as stored; the caller decodes them
  int64_t size = -1;        // uncompressed bytes, -1 when the directory does not say
};

struct CentralDirectory {
  bool found = false;  // false: no directory after where streaming stopped
  std::vector<CentralDirectoryEntry> entries;
  std::string damage;  // "" when the directory ends with its end record; else why entries.size() + 1 cannot be read
};

// Reads the directory from the stream that goes on with `head` (bytes already read) and then `rest`.
// Where streaming ended cleanly the directory starts right there. Where it stopped early (a member's lying
// header can make the reader lose its place), the directory is searched for: the first one that ends with an
// end record at the end of the stream, so a directory inside a stored member (a zip in the zip) is not taken
// for it. Keeps at most `max_entries` entries; memory is bounded by one entry (names, extra fields and
// comment: at most 196 KiB) plus the names kept (at most kMaxNameBytes). A read of `rest` that throws
// passes its exception on.
CentralDirectory read_central_directory(std::string_view head, ByteSource& rest, uint64_t max_entries);

inline constexpr size_t kMaxCentralDirectoryNameBytes = size_t{4} << 20;

}  // namespace kmsdiag
