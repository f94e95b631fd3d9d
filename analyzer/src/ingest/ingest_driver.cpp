#include "ingest/ingest_driver.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "ingest/archive_reader.hpp"
#include "ingest/text_decoder.hpp"

namespace kmsdiag {
namespace {

constexpr size_t kHeadBytes = 64 * 1024;

// Counts what the reader delivers so the summary is exact, and keeps the problems for the report.
class CountingSink final : public RecordSink {
 public:
  CountingSink(IngestSink& next, InputSummary& summary) : next_(next), summary_(summary) {}
  void on_record(Record&& r) override {
    ++summary_.records;
    next_.on_record(std::move(r));
  }
  void on_problem(Problem&& p) override {
    // A reader may report thousands of damaged records: keep the first ones, count the rest.
    if (summary_.problems.size() < 100) summary_.problems.push_back(p);
    next_.on_problem(std::move(p));
  }

 private:
  IngestSink& next_;
  InputSummary& summary_;
};

struct FoundFile {
  std::string path;
  bool named;  // given on the command line (not found by walking a folder)
};

void walk(const std::filesystem::path& p, std::vector<FoundFile>& files, std::vector<InputSummary>& missing) {
  std::error_code ec;
  if (std::filesystem::is_directory(p, ec)) {
    std::vector<std::string> found;
    for (auto it = std::filesystem::recursive_directory_iterator(
             p, std::filesystem::directory_options::skip_permission_denied, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec)) found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());  // stable report order whatever the file system does
    for (auto& f : found) files.push_back({std::move(f), false});
  } else if (std::filesystem::exists(p, ec)) {
    files.push_back({p.string(), true});
  } else {
    InputSummary s;
    s.path = p.string();
    s.skipped = "no such file or directory";
    missing.push_back(std::move(s));
  }
}

}  // namespace

void ingest_source(ByteSource& source, const Knowledge& kb, IngestSink& sink, std::vector<InputSummary>& out) {
  PeekableSource peekable(source);
  if (looks_like_archive(peekable.peek(kHeadBytes))) {
    InputSummary container;
    container.path = source.path();
    container.format = "zip";
    container.encoding = "binary";
    const size_t at = out.size();
    out.push_back(container);
    read_archive(
        peekable, [&](ByteSource& member) { ingest_source(member, kb, sink, out); },
        [&](Problem&& p) {
          if (out[at].problems.size() < 100) out[at].problems.push_back(p);
          sink.on_problem(std::move(p));
        });
    return;
  }
  InputSummary summary;
  summary.path = source.path();
  sink.begin_input(summary.path);
  CountingSink counting(sink, summary);
  try {
    const std::string_view raw_head = peekable.peek(kHeadBytes);
    if (raw_head.empty()) {
      summary.skipped = "empty file";
      summary.encoding = "empty";
      sink.end_input(summary);
      out.push_back(std::move(summary));
      return;
    }
    summary.encoding = detect_encoding(raw_head);
    const bool is_text = summary.encoding != "binary";
    const std::string utf8_head = is_text ? to_utf8(raw_head, summary.encoding) : std::string();
    const FormatInfo* format = detect_format(raw_head, utf8_head, kb);
    if (!format) {
      summary.skipped = is_text ? "text in no format kmsdiag knows" : "binary data in no format kmsdiag knows";
      sink.end_input(summary);
      out.push_back(std::move(summary));
      return;
    }
    summary.format = format->name;
    auto reader = format->make(kb);
    ReadStats stats;
    if (format->text && is_text) {
      auto utf8 = make_utf8_source(peekable, summary.encoding);
      stats = reader->read(*utf8, counting);
    } else {
      stats = reader->read(peekable, counting);
    }
    summary.bytes = stats.bytes;
  } catch (const std::exception& e) {
    counting.on_problem(Problem{{summary.path, "", 0, ""}, e.what()});
  }
  sink.end_input(summary);
  out.push_back(std::move(summary));
}

std::vector<InputSummary> ingest_paths(const std::vector<std::string>& paths, const Knowledge& kb, IngestSink& sink) {
  std::vector<FoundFile> files;
  std::vector<InputSummary> out;
  for (const auto& p : paths) walk(p, files, out);
  // A missing path was asked for by name: that is an input problem, not just a skip.
  for (auto& s : out) {
    s.problems.push_back(Problem{{s.path, "", 0, ""}, s.skipped});
    sink.on_problem(Problem(s.problems.back()));
  }
  for (const auto& f : files) {
    const size_t first = out.size();
    try {
      FileSource file(f.path);
      ingest_source(file, kb, sink, out);
    } catch (const std::exception& e) {  // unreadable (permissions, I/O error): always a problem
      InputSummary s;
      s.path = f.path;
      s.skipped = e.what();
      s.problems.push_back(Problem{{s.path, "", 0, ""}, e.what()});
      sink.on_problem(Problem(s.problems.back()));
      out.push_back(std::move(s));
    }
    // Files met while walking a folder or inside an archive may be anything (notes, screenshots):
    // skipping them is normal. A file named on the command line that cannot be read is an input problem.
    if (first < out.size()) {
      InputSummary& s = out[first];
      if (f.named && !s.skipped.empty() && s.problems.empty()) {
        Problem p{{s.path, "", 0, ""}, "not read: " + s.skipped};
        sink.on_problem(Problem(p));
        s.problems.push_back(std::move(p));
      }
    }
  }
  return out;
}

}  // namespace kmsdiag
