// The SHA-256 of a big regular file, computed beside its reading on the cores' idle time.
//
// Hashed in the reading (BackgroundSha256), a big file's digest competes with its parsing for the same
// cores, yet the report needs it only when it is written. Hashed from a descriptor of its own by a thread
// of lower priority (nice 2), it gives way to the parsing, takes the cores' idle time, and goes on while
// correlation and rules run on one thread. A report that needs the digest before it is done (a machine
// busy with other work starves such a thread) hashes the rest itself, from where the thread got to. The
// file's pages are read twice, the second time from the page cache; so only files up to
// kIdleDigestMaxBytes are hashed this way (pages a machine that reads such a file keeps cached), and below
// kIdleDigestMinBytes hashing in line costs less than any thread.
//
// The digest must be of the bytes analysed: a file whose size, modification or status-change time differs
// between the open and the end of hashing gets none (""), as does one that cannot be read to its end.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "model/analysis.hpp"

namespace kmsdiag {

inline constexpr uint64_t kIdleDigestMinBytes = uint64_t{4} << 20;
inline constexpr uint64_t kIdleDigestMaxBytes = uint64_t{2} << 30;

// For `fd`, open on a regular file of kIdleDigestMinBytes to kIdleDigestMaxBytes and not read yet: the
// digest in progress, its hashing queued (the files queued are hashed one after another, on one thread).
// nullptr for anything else, and when no descriptor is left: hash it as it is read.
std::shared_ptr<const DigestInProgress> hash_on_idle_time(int fd);

// Starts the digest of the file at `path`, when hash_on_idle_time() would take it, before the file is read:
// a run names its inputs first and then loads its rules, and the hash, which a big input's report waits for,
// goes on meanwhile. hash_on_idle_time() on a descriptor of that same file (unchanged) then takes this digest
// over instead of starting another. Returns the digest started, or nullptr.
std::shared_ptr<const DigestInProgress> hash_ahead(const std::string& path);

}  // namespace kmsdiag
