#include "ingest/line_reader.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace kmsdiag {

namespace {
constexpr size_t kBlock = 64 * 1024;
}

bool LineReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  const size_t old = buf_.size();
  buf_.resize(old + kBlock);
  const size_t got = in_.read(buf_.data() + old, kBlock);
  buf_.resize(old + got);
  bytes_ += got;
  if (got == 0) eof_ = true;
  return got > 0;
}

bool LineReader::next(std::string& line) {
  line.clear();
  size_t raw_len = 0;  // the line's full length, including any part beyond the cap
  bool any = false;
  for (;;) {
    if (pos_ >= buf_.size() && !fill()) break;
    any = true;
    const char* start = buf_.data() + pos_;
    const size_t avail = buf_.size() - pos_;
    const void* nl = std::memchr(start, '\n', avail);
    const size_t take = nl ? static_cast<size_t>(static_cast<const char*>(nl) - start) : avail;
    if (line.size() < max_line_) line.append(start, std::min(take, max_line_ - line.size()));
    raw_len += take;
    pos_ += take;
    if (nl) {
      ++pos_;
      break;
    }
  }
  if (!any) return false;
  truncated_ = raw_len > max_line_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  ++line_no_;
  return true;
}

std::string LineReader::truncation_message() const {
  const std::string size = max_line_ % (1024 * 1024) == 0 ? fmt::format("{} MiB", max_line_ / (1024 * 1024))
                           : max_line_ % 1024 == 0        ? fmt::format("{} KiB", max_line_ / 1024)
                                                          : fmt::format("{} bytes", max_line_);
  return fmt::format("line longer than {}; the rest of it was skipped", size);
}

void LineReader::report_if_truncated(RecordSink& sink, ReadStats& stats) const {
  if (!truncated_) return;
  ++stats.problems;
  sink.on_problem(Problem{{in_.path(), "line", line_no_, ""}, truncation_message()});
}

}  // namespace kmsdiag
