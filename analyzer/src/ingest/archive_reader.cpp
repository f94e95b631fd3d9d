#include "ingest/archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <fmt/format.h>

#include <memory>
#include <vector>

namespace kmsdiag {
namespace {

struct ReadContext {
  ByteSource& in;
  std::vector<char> buf = std::vector<char>(256 * 1024);
  uint64_t consumed = 0;
};

// libarchive may have no message for an error (NULL): never pass that on as a C string.
std::string archive_error(struct archive* a) {
  const char* msg = archive_error_string(a);
  return msg ? msg : "unknown archive error";
}

la_ssize_t read_cb(struct archive*, void* ctx, const void** out) {
  auto* c = static_cast<ReadContext*>(ctx);
  const size_t n = c->in.read(c->buf.data(), c->buf.size());
  c->consumed += n;
  *out = c->buf.data();
  return static_cast<la_ssize_t>(n);
}

// One archive member as a stream; enforces the size and ratio limits while it is read.
class MemberSource final : public ByteSource {
 public:
  MemberSource(struct archive* a, std::string path, const ArchiveLimits& limits, uint64_t& total,
               const ReadContext& ctx)
      : a_(a), path_(std::move(path)), limits_(limits), total_(total), ctx_(ctx), start_(ctx.consumed) {}
  const std::string& path() const override { return path_; }
  size_t read(char* buf, size_t n) override {
    if (done_) return 0;
    const la_ssize_t got = archive_read_data(a_, buf, n);
    if (got < 0) throw std::runtime_error(fmt::format("archive member damaged: {}", archive_error(a_)));
    produced_ += static_cast<uint64_t>(got);
    total_ += static_cast<uint64_t>(got);
    if (produced_ > limits_.max_member_bytes)
      return stop(fmt::format("member larger than the {} byte limit", limits_.max_member_bytes));
    if (total_ > limits_.max_total_bytes)
      return stop(fmt::format("archive larger than the {} byte limit in all", limits_.max_total_bytes));
    const uint64_t packed = std::max<uint64_t>(1, ctx_.consumed - start_);
    if (produced_ > (1u << 20) && produced_ / packed > limits_.max_ratio)
      return stop(fmt::format("compression ratio above {}:1 (zip bomb?)", limits_.max_ratio));
    return static_cast<size_t>(got);
  }
  const std::string& limit_hit() const { return limit_; }

 private:
  size_t stop(std::string why) {
    done_ = true;
    limit_ = std::move(why);
    return 0;
  }
  struct archive* a_;
  std::string path_;
  const ArchiveLimits& limits_;
  uint64_t& total_;
  const ReadContext& ctx_;
  uint64_t start_;
  uint64_t produced_ = 0;
  bool done_ = false;
  std::string limit_;
};

}  // namespace

bool looks_like_archive(std::string_view head) {
  return head.size() >= 4 && (head.substr(0, 4) == std::string_view("PK\x03\x04", 4) ||
                              head.substr(0, 4) == std::string_view("PK\x05\x06", 4));
}

void read_archive(ByteSource& in, const std::function<void(ByteSource&)>& member,
                  const std::function<void(Problem&&)>& problem, const ArchiveLimits& limits) {
  std::unique_ptr<struct archive, int (*)(struct archive*)> a(archive_read_new(), archive_read_free);
  archive_read_support_format_zip_streamable(a.get());
  archive_read_support_filter_none(a.get());
  ReadContext ctx{in};
  auto fail = [&](uint64_t index, const std::string& msg) {
    problem(Problem{{in.path(), index ? "member" : "", index, ""}, msg});
  };
  if (archive_read_open(a.get(), &ctx, nullptr, read_cb, nullptr) != ARCHIVE_OK) {
    fail(0, fmt::format("not a readable zip archive: {}", archive_error(a.get())));
    return;
  }
  uint64_t total = 0, index = 0;
  for (;;) {
    struct archive_entry* entry = nullptr;
    const int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    ++index;
    if (r == ARCHIVE_FATAL) {
      fail(index, fmt::format("archive damaged, members from here on are unreadable: {}", archive_error(a.get())));
      break;
    }
    if (r == ARCHIVE_WARN) fail(index, fmt::format("archive warning: {}", archive_error(a.get())));
    if (index > limits.max_members) {
      fail(index, fmt::format("more than {} members: the rest are not read", limits.max_members));
      break;
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* name = archive_entry_pathname_utf8(entry);
    if (!name) name = archive_entry_pathname(entry);
    MemberSource src(a.get(), fmt::format("{}!{}", in.path(), name ? name : "?"), limits, total, ctx);
    try {
      member(src);
    } catch (const std::exception& e) {
      problem(Problem{{src.path(), "", 0, ""}, e.what()});
    }
    if (!src.limit_hit().empty()) problem(Problem{{src.path(), "", 0, ""}, "not read to the end: " + src.limit_hit()});
    if (total > limits.max_total_bytes) break;
  }
}

}  // namespace kmsdiag
