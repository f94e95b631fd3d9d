#include "ingest/archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>
#include <locale.h>

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>

#include "ingest/zip_central_directory.hpp"
#include "ingest/zip_member_name.hpp"
#include "model/printable_text.hpp"

namespace kmsdiag {
namespace {

// The ratio is measured against at least this many compressed bytes: a few bytes of header can announce
// a long run, and a small member expanding a few hundred times is no threat. A bomb still meets the limit
// after max_ratio times this (4 MB at 1000:1), however few bytes it is packed in.
constexpr uint64_t kRatioFloorBytes = 4096;

using ArchivePtr = std::unique_ptr<struct archive, int (*)(struct archive*)>;

// The stream as libarchive reads it, in two blocks filled in turn: when streaming stops at the central
// directory, the bytes libarchive fetched past it are still here (it looks at most a few bytes into the
// next block), and the directory is read from them and from what the stream still holds.
struct ReadContext {
  static constexpr size_t kBlock = 128 * 1024;
  ByteSource& in;
  std::array<std::vector<char>, 2> blocks{std::vector<char>(kBlock), std::vector<char>(kBlock)};
  std::array<size_t, 2> sizes{0, 0};
  size_t next = 0;       // the block filled next
  uint64_t fetched = 0;  // bytes handed to libarchive in all

  // The bytes fetched from stream offset `from` on, or from the oldest still held when `from` is older.
  std::string held_from(uint64_t from) const {
    const size_t last = 1 - next;  // filled most recently; `next` was filled before it
    const uint64_t wanted = std::min<uint64_t>(sizes[next] + sizes[last], fetched - std::min(from, fetched));
    const size_t in_last = std::min<size_t>(wanted, sizes[last]), in_earlier = wanted - in_last;
    std::string held(blocks[next].data() + sizes[next] - in_earlier, in_earlier);
    held.append(blocks[last].data() + sizes[last] - in_last, in_last);
    return held;
  }
};

// A member as the stream showed it, to compare with the central directory.
struct StreamedMember {
  std::string name;   // as printed (decoded, escaped)
  int64_t size = -1;  // uncompressed size its header declared, -1 when it declared none
};

// libarchive may have no message for an error (NULL): never pass that on as a C string.
std::string archive_error(struct archive* a) {
  const char* msg = archive_error_string(a);
  return msg ? msg : "unknown archive error";
}

la_ssize_t read_cb(struct archive*, void* ctx, const void** out) {
  auto* c = static_cast<ReadContext*>(ctx);
  std::vector<char>& block = c->blocks[c->next];
  const size_t got = c->in.read(block.data(), block.size());
  c->sizes[c->next] = got;
  c->next = 1 - c->next;
  c->fetched += got;
  *out = block.data();
  return static_cast<la_ssize_t>(got);
}

// libarchive converts header names to the character set of the thread's locale; in the "C" locale a
// UTF-8 name cannot be converted and comes back as NULL with a warning. With a UTF-8 character type
// the names come back as stored (names flagged UTF-8 validated), and zip_member_name() decodes the rest.
class Utf8Names {
 public:
  Utf8Names() {
    // Made once and kept: loading a locale reads its files from disk.
    static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t(nullptr));
    if (utf8) previous_ = uselocale(utf8);
  }
  ~Utf8Names() {
    if (previous_) uselocale(previous_);
  }
  Utf8Names(const Utf8Names&) = delete;
  Utf8Names& operator=(const Utf8Names&) = delete;

 private:
  locale_t previous_ = locale_t(nullptr);
};

int next_header(struct archive* a, struct archive_entry** entry) {
  const Utf8Names names;
  return archive_read_next_header(a, entry);
}

std::string entry_name(struct archive_entry* entry) {
  const char* name = archive_entry_pathname(entry);
  return name ? zip_member_name(name) : "?";
}

// Bytes the zip reader has consumed from the stream: exact, unlike what the read callback has fetched,
// which runs ahead by a whole block.
uint64_t consumed(struct archive* a) { return static_cast<uint64_t>(archive_filter_bytes(a, 0)); }

// One archive member as a stream; enforces the size and ratio limits while it is read.
class MemberSource final : public ByteSource {
 public:
  MemberSource(struct archive* a, std::string path, ArchiveBudget& budget)
      : a_(a), path_(std::move(path)), budget_(budget), start_(consumed(a)) {}
  const std::string& path() const override { return path_; }
  size_t read(char* buf, size_t n) override {
    if (done_) return 0;
    const la_ssize_t got = archive_read_data(a_, buf, n);
    if (got < 0) throw std::runtime_error(fmt::format("archive member damaged: {}", archive_error(a_)));
    if (got == 0) done_ = true;
    const auto k = static_cast<uint64_t>(got);
    produced_ += k;
    const ArchiveLimits& limits = budget_.limits;
    if (produced_ > limits.max_member_bytes)
      cut(fmt::format("the member is larger than the {} byte limit", limits.max_member_bytes));
    if (budget_.bytes.fetch_add(k) + k > limits.max_total_bytes)
      cut(fmt::format("the archive holds more than the {} byte limit in all", limits.max_total_bytes));
    const uint64_t packed = consumed(a_) - start_;
    if (produced_ / std::max(kRatioFloorBytes, packed) > limits.max_ratio)
      cut(fmt::format("it expands more than {}:1 ({} bytes from {} compressed): a zip bomb", limits.max_ratio,
                      produced_, packed));
    return static_cast<size_t>(got);
  }

 private:
  [[noreturn]] void cut(const std::string& why) {
    done_ = true;
    throw std::runtime_error(fmt::format("archive member not read past byte {}: {}", produced_, why));
  }
  struct archive* a_;
  std::string path_;
  ArchiveBudget& budget_;
  uint64_t start_;
  uint64_t produced_ = 0;
  bool done_ = false;
};

// Compares the central directory that starts at stream offset `at` with the members streaming met.
void check_central_directory(const ReadContext& ctx, uint64_t at, const std::vector<StreamedMember>& streamed,
                             const std::string& name, uint64_t max_entries,
                             const std::function<void(Problem&&)>& problem) {
  const std::string head = ctx.held_from(at);
  CentralDirectory dir;
  try {
    dir = read_central_directory(head, ctx.in, max_entries);
  } catch (const std::exception& e) {
    dir.found = true;
    dir.damage = e.what();
  }
  if (!dir.found) {
    problem(Problem{{name, "", 0, ""},
                    "central directory unreadable, members hidden from streaming cannot be found: none follows the "
                    "last member"});
    return;
  }
  // What streaming met, by name: a name may occur more than once.
  std::multimap<std::string, int64_t> met;
  for (const StreamedMember& m : streamed) met.emplace(m.name, m.size);
  for (size_t i = 0; i < dir.entries.size(); ++i) {
    const uint64_t index = i + 1;
    const std::string member = zip_member_name(dir.entries[i].stored_name);
    const int64_t size = dir.entries[i].size;
    auto it = met.find(member);
    if (it == met.end()) {
      problem(Problem{{name, "member", index, ""},
                      fmt::format("the central directory lists '{}', which its local header hides: not read", member)});
      continue;
    }
    if (size >= 0 && it->second >= 0 && size != it->second)
      problem(Problem{{name, "member", index, ""},
                      fmt::format("'{}' is {} bytes by the central directory but {} by its local header", member, size,
                                  it->second)});
    met.erase(it);
  }
  if (!dir.damage.empty())
    problem(Problem{{name, "member", dir.entries.size() + 1, ""},
                    fmt::format("central directory damaged from here on: {}", dir.damage)});
}

}  // namespace

bool looks_like_archive(std::string_view head) {
  return head.size() >= 4 && (head.substr(0, 4) == std::string_view("PK\x03\x04", 4) ||
                              head.substr(0, 4) == std::string_view("PK\x05\x06", 4));
}

void read_archive(ByteSource& in, const ArchiveNesting& nesting, const std::function<void(ByteSource&)>& member,
                  const std::function<void(Problem&&)>& problem) {
  std::vector<StreamedMember> streamed;
  ArchiveBudget& budget = *nesting.budget;
  const ArchiveLimits& limits = budget.limits;
  auto fail = [&](uint64_t index, const std::string& msg) {
    problem(Problem{{in.path(), index ? "member" : "", index, ""}, msg});
  };
  // Every level of nesting holds a decompressor and its buffers while the levels inside it are read.
  if (nesting.depth >= limits.max_depth) {
    fail(0, fmt::format("archive nested {} archives deep, beyond the limit of {}: not read", nesting.depth,
                        limits.max_depth));
    return;
  }
  ArchivePtr a(archive_read_new(), archive_read_free);
  archive_read_support_format_zip_streamable(a.get());
  archive_read_support_filter_none(a.get());
  ReadContext ctx{in};
  if (archive_read_open(a.get(), &ctx, nullptr, read_cb, nullptr) != ARCHIVE_OK) {
    fail(0, fmt::format("not a readable zip archive: {}", archive_error(a.get())));
    return;
  }
  // Reported once for the input, not once per level of nesting that stops because of it.
  auto budget_spent = [&](uint64_t index, const std::string& why) {
    if (!budget.stop_reported.exchange(true)) fail(index, why + ": the members from here on are not read");
  };
  for (uint64_t index = 1;; ++index) {
    if (budget.bytes.load() > limits.max_total_bytes) {
      budget_spent(index, fmt::format("archive holds more than the {} byte limit in all", limits.max_total_bytes));
      break;
    }
    struct archive_entry* entry = nullptr;
    const int r = next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) {  // at the central directory: what it lists is what streaming should have met
      check_central_directory(ctx, consumed(a.get()), streamed, in.path(), limits.max_members, problem);
      break;
    }
    if (r == ARCHIVE_FATAL) {
      fail(index, fmt::format("archive damaged, members from here on are unreadable: {}", archive_error(a.get())));
      break;
    }
    if (r == ARCHIVE_WARN) fail(index, fmt::format("archive warning: {}", archive_error(a.get())));
    if (budget.members.fetch_add(1) >= limits.max_members) {
      budget_spent(index, fmt::format("more than {} members in all", limits.max_members));
      break;
    }
    const std::string name = entry_name(entry);
    streamed.push_back({name, archive_entry_size_is_set(entry) ? archive_entry_size(entry) : -1});
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    MemberSource src(a.get(), fmt::format("{}!{}", in.path(), name), budget);
    try {
      member(src);
    } catch (const std::exception& e) {
      problem(Problem{{src.path(), "", 0, ""}, e.what()});
    }
  }
}

}  // namespace kmsdiag
