#include "ingest/ingest_driver.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "ingest/archive_reader.hpp"
#include "ingest/hashing_source.hpp"
#include "ingest/idle_digest.hpp"
#include "ingest/ordered_pool.hpp"
#include "ingest/record_parts.hpp"
#include "ingest/text_decoder.hpp"
#include "model/printable_text.hpp"

namespace kmsdiag {
namespace {

constexpr size_t kHeadBytes = 64 * 1024;

// A reader may report thousands of damaged records, an archive thousands of bad members: a summary
// keeps the first ones and counts the rest (all of them still reach the sink, which prints them).
constexpr size_t kProblemsPerInput = 100;
// And a bundle may hold thousands of damaged inputs: past this many problems kept in all, an input
// keeps only its first, so it still shows as damaged.
constexpr size_t kProblemsKept = 1000;

void keep_problem(InputSummary& summary, Problem p) {
  if (summary.problems.size() < kProblemsPerInput)
    summary.problems.push_back(std::move(p));
  else
    ++summary.problems_not_listed;
}

// A problem about a whole input (no record or line): kept in its summary and reported now.
void add_problem(InputSummary& summary, IngestSink& sink, std::string text) {
  summary.problems.push_back(Problem{{summary.path, "", 0, ""}, std::move(text)});
  sink.on_problem(Problem(summary.problems.back()));
}

// An input that could not be read at all (permissions, I/O error): always a problem.
InputSummary unreadable(const std::string& path, const std::string& why, IngestSink& sink) {
  InputSummary s;
  s.path = path;
  s.skipped = why;
  add_problem(s, sink, why);
  return s;
}

InputSummary archive_summary(const std::string& path) {
  InputSummary s;
  s.path = path;
  s.format = "zip";
  s.encoding = "binary";
  return s;
}

// Counts what the reader delivers so the summary is exact, and keeps the problems for the report.
class CountingSink final : public RecordSink {
 public:
  CountingSink(IngestSink& next, InputSummary& summary) : next_(next), summary_(summary) {}
  void on_record(Record&& r) override {
    ++summary_.records;
    next_.on_record(std::move(r));
  }
  void on_unused_event(UnusedEvent&& e) override {
    ++summary_.records;
    next_.on_unused_event(std::move(e));
  }
  void on_problem(Problem&& p) override {
    keep_problem(summary_, p);
    next_.on_problem(std::move(p));
  }
  std::unique_ptr<RecordPart> part() override {
    return std::make_unique<CountingPart>(next_, kProblemsPerInput, [this](PartCounts& c) {
      summary_.records += c.records;
      for (Problem& p : c.kept) keep_problem(summary_, std::move(p));
      summary_.problems_not_listed += c.problems - c.kept.size();
    });
  }

 private:
  IngestSink& next_;
  InputSummary& summary_;
};

// The localized labels of every table that are not plain ASCII: what tells one legacy code page
// from another (detect_encoding).
std::vector<std::string_view> known_labels(const Knowledge& kb) {
  std::vector<std::string_view> out;
  for (const auto& [table, labels] : kb.label_tables)
    for (const auto& [label, key] : labels)
      if (std::any_of(label.begin(), label.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        out.push_back(label);
  return out;
}

struct FoundFile {
  std::string path;  // to open
  std::string name;  // to show: the path made printable
  bool named;        // given on the command line (not found by walking a folder)
  bool stream;       // not a regular file (a pipe, a FIFO, standard input as "-"): it can be opened only once
};

void walk(const std::filesystem::path& p, std::vector<FoundFile>& files, std::vector<InputSummary>& missing) {
  std::error_code ec;
  if (p == "-") {
    files.push_back({"-", "(standard input)", true, true});
  } else if (std::filesystem::is_directory(p, ec)) {
    std::vector<std::string> found;
    for (auto it = std::filesystem::recursive_directory_iterator(
             p, std::filesystem::directory_options::skip_permission_denied, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec)) found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());  // stable report order whatever the file system does
    for (auto& f : found) files.push_back({f, printable(f), false, false});
  } else if (std::filesystem::exists(p, ec)) {
    files.push_back({p.string(), printable(p.string()), true, !std::filesystem::is_regular_file(p, ec)});
  } else {
    InputSummary s;
    s.path = printable(p.string());
    s.skipped = "no such file or directory";
    missing.push_back(std::move(s));
  }
}

}  // namespace

void ingest_source(ByteSource& source, const Knowledge& kb, IngestSink& sink, std::vector<InputSummary>& out,
                   unsigned threads, const ArchiveNesting& nesting) {
  PeekableSource peekable(source);
  std::string_view raw_head;
  try {
    raw_head = peekable.peek(kHeadBytes);
  } catch (const std::exception& e) {  // not even the first bytes
    out.push_back(unreadable(source.path(), e.what(), sink));
    return;
  }
  if (looks_like_archive(raw_head)) {
    const size_t at = out.size();
    out.push_back(archive_summary(source.path()));
    read_archive(
        peekable, nesting, [&](ByteSource& member) { ingest_source(member, kb, sink, out, threads, nesting.inner()); },
        [&](Problem&& p) {
          keep_problem(out[at], p);
          sink.on_problem(std::move(p));
        });
    return;
  }
  InputSummary summary;
  summary.path = source.path();
  sink.begin_input(summary.path);
  CountingSink counting(sink, summary);
  try {
    if (raw_head.empty()) {
      summary.skipped = "empty file";
      summary.encoding = "empty";
      sink.end_input(summary);
      out.push_back(std::move(summary));
      return;
    }
    summary.encoding = detect_encoding(raw_head, known_labels(kb));
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
    reader->use_threads(threads);
    ReadStats stats;
    if (format->text && is_text) {
      auto utf8 = make_utf8_source(peekable, summary.encoding);
      stats = reader->read(*utf8, counting);
      const DecodeDamage& damage = utf8->damage();
      if (damage.units > 0)
        counting.on_problem(
            Problem{{summary.path, "line", damage.first_line, ""}, describe_damage(damage, summary.encoding)});
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

namespace {

// Reads `file` with `read` and returns the digest of all its bytes: a big regular file's is computed beside
// the reading, from a descriptor of its own (idle_digest.hpp); any other's as it is read, the rest read for it
// once `read` is done.
template <class Read>
InputDigest read_hashed(FileSource& file, Read&& read) {
  if (std::shared_ptr<const DigestInProgress> later = hash_on_idle_time(file.descriptor())) {
    read(static_cast<ByteSource&>(file));
    return InputDigest(std::move(later));
  }
  HashingSource hashed(file);
  read(static_cast<ByteSource&>(hashed));
  return hashed.finish();
}

// Reads one file found by walk() into `out` (several summaries when it is an archive).
void read_file(const FoundFile& f, const Knowledge& kb, IngestSink& sink, std::vector<InputSummary>& out,
               unsigned threads) {
  try {
    FileSource file(f.path);
    InputDigest digest = read_hashed(file, [&](ByteSource& source) { ingest_source(source, kb, sink, out, threads); });
    // The file's own summary comes first (an archive's members follow it). Only whole files get a digest:
    // finishing one reads what its reader left, which for an archive member would mean decompressing
    // what the archive limits stopped.
    if (!out.empty()) out.front().sha256 = std::move(digest);
  } catch (const std::exception& e) {
    out.push_back(unreadable(f.name, e.what(), sink));
  }
  // Files met while walking a folder or inside an archive may be anything (notes, screenshots):
  // skipping them is normal. A file named on the command line that cannot be read is an input problem.
  if (!out.empty()) {
    InputSummary& s = out.front();
    if (f.named && !s.skipped.empty() && s.problems.empty()) add_problem(s, sink, "not read: " + s.skipped);
  }
}

bool is_archive_file(const std::string& path) {
  try {
    FileSource file(path);
    char head[4];
    const size_t n = file.read(head, sizeof head);
    return looks_like_archive(std::string_view(head, n));
  } catch (const std::exception&) {
    return false;  // read_file reports why it cannot be read
  }
}

// Archive members up to this size are read ahead in memory and handed to a worker; bigger ones are
// read on the archive's own thread, streaming (a member must be consumed before the next one starts).
constexpr size_t kReadAheadBytes = 2 << 20;

// A member's bytes read ahead, then (when given) the rest of the member. A read error met while
// reading ahead is raised at the same point of the stream, so the member's summary records it as if
// it had been streamed.
class ReadAheadSource final : public ByteSource {
 public:
  ReadAheadSource(std::string path, std::string data, ByteSource* rest, std::string error)
      : path_(std::move(path)), data_(std::move(data)), rest_(rest), error_(std::move(error)) {}
  size_t read(char* buf, size_t n) override {
    if (pos_ < data_.size()) {
      const size_t k = std::min(n, data_.size() - pos_);
      std::memcpy(buf, data_.data() + pos_, k);
      pos_ += k;
      return k;
    }
    if (!error_.empty()) throw std::runtime_error(error_);
    return rest_ ? rest_->read(buf, n) : 0;
  }
  const std::string& path() const override { return path_; }

 private:
  std::string path_, data_;
  size_t pos_ = 0;
  ByteSource* rest_;
  std::string error_;
};

// One ingest_paths() call: hands each unit of work to the pool with its own sink and appends what it
// read to the summaries in input order (finish steps run one at a time, in order).
class Ingest {
 public:
  Ingest(const Knowledge& kb, IngestSinks& sinks, unsigned jobs) : kb_(kb), sinks_(sinks), jobs_(jobs), pool_(jobs) {}

  void missing(InputSummary s) {
    unit(true, [s = std::move(s)](Unit& u) mutable {
      // A missing path was asked for by name: that is an input problem, not just a skip.
      add_problem(s, *u.sink, s.skipped);
      u.summaries.push_back(std::move(s));
    });
  }

  // A plain file is one unit. An archive is unpacked here and its members become the units, so a
  // zipped bundle is read on every core too.
  void file(const FoundFile& f) {
    // A stream is opened once, by the unit that reads it (an archive in it is read there, member by member).
    if (f.stream || !is_archive_file(f.path)) {
      unit(false, [this, f](Unit& u) { read_file(f, kb_, *u.sink, u.summaries, jobs_); });
      return;
    }
    // The archive's own summary goes first; its problems (damage, limits) are known only at the end.
    auto slot = std::make_shared<size_t>(0);
    unit(
        true, [](Unit&) {},
        [this, slot, name = f.name] {
          *slot = all_.size();
          all_.push_back(archive_summary(name));
        });
    auto problems = std::make_shared<std::vector<Problem>>();
    auto digest = std::make_shared<InputDigest>();
    auto problem = [&](Problem&& p) { problems->push_back(std::move(p)); };
    try {
      FileSource file(f.path);
      const ArchiveNesting nesting;
      *digest = read_hashed(file, [&](ByteSource& source) {
        read_archive(
            source, nesting, [this, inner = nesting.inner()](ByteSource& m) { member(m, inner); }, problem);
      });
    } catch (const std::exception& e) {
      problems->push_back(Problem{{f.name, "", 0, ""}, e.what()});
    }
    unit(
        true,
        [problems](Unit& u) {
          for (const Problem& p : *problems) u.sink->on_problem(Problem(p));
        },
        [this, slot, problems, digest] {
          for (Problem& p : *problems) keep_problem(all_[*slot], std::move(p));
          all_[*slot].sha256 = std::move(*digest);
        });
  }

  std::vector<InputSummary> finish() {
    pool_.wait();
    return std::move(all_);
  }

 private:
  struct Unit {
    std::unique_ptr<IngestSink> sink;
    std::vector<InputSummary> summaries;
  };

  void unit(bool here, std::function<void(Unit&)> work, std::function<void()> after = {}) {
    auto u = std::make_shared<Unit>();
    u->sink = sinks_.open();
    auto run = [u, work = std::move(work)] { work(*u); };
    auto done = [this, u, after = std::move(after)] {
      sinks_.close(std::move(u->sink), u->summaries);
      for (auto& s : u->summaries) {
        keep_within_budget(s);
        all_.push_back(std::move(s));
      }
      if (after) after();
    };
    here ? pool_.run_here(std::move(run), std::move(done)) : pool_.submit(std::move(run), std::move(done));
  }

  // Finish steps run one at a time, in order: the first inputs' problems are the ones kept.
  void keep_within_budget(InputSummary& s) {
    const size_t room = kProblemsKept - std::min(kProblemsKept, problems_kept_);
    const size_t keep = std::min(s.problems.size(), std::max<size_t>(room, 1));
    s.problems_not_listed += s.problems.size() - keep;
    s.problems.resize(keep);
    s.problems.shrink_to_fit();  // a vector that grew to 100 problems would keep their room
    problems_kept_ += keep;
  }

  void member(ByteSource& m, const ArchiveNesting& nesting) {
    std::string data, error;
    try {
      std::vector<char> buf(256 * 1024);
      while (data.size() <= kReadAheadBytes) {
        const size_t n = m.read(buf.data(), buf.size());
        if (n == 0) break;
        data.append(buf.data(), n);
      }
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (data.size() <= kReadAheadBytes || !error.empty()) {
      unit(false, [this, path = m.path(), data = std::move(data), error = std::move(error), nesting](Unit& u) mutable {
        ReadAheadSource src(std::move(path), std::move(data), nullptr, std::move(error));
        ingest_source(src, kb_, *u.sink, u.summaries, jobs_, nesting);
      });
      return;
    }
    unit(true, [this, &m, &data, &nesting](Unit& u) {
      ReadAheadSource src(m.path(), std::move(data), &m, "");
      ingest_source(src, kb_, *u.sink, u.summaries, jobs_, nesting);
    });
  }

  const Knowledge& kb_;
  IngestSinks& sinks_;
  std::vector<InputSummary> all_;
  unsigned jobs_;  // also the threads one file's reader may use: one big file is read on every core
  size_t problems_kept_ = 0;
  OrderedPool pool_;  // last: its destructor waits for units that still use the members above
};

// Every unit's records go to the one sink (single-threaded use only).
class OneSink final : public IngestSinks {
 public:
  explicit OneSink(IngestSink& sink) : sink_(sink) {}
  std::unique_ptr<IngestSink> open() override { return std::make_unique<Forward>(sink_); }
  void close(std::unique_ptr<IngestSink>, std::vector<InputSummary>&) override {}

 private:
  struct Forward final : IngestSink {
    explicit Forward(IngestSink& to) : to(to) {}
    void begin_input(const std::string& path) override { to.begin_input(path); }
    void on_record(Record&& r) override { to.on_record(std::move(r)); }
    void on_problem(Problem&& p) override { to.on_problem(std::move(p)); }
    void on_unused_event(UnusedEvent&& e) override { to.on_unused_event(std::move(e)); }
    void end_input(InputSummary& s) override { to.end_input(s); }
    IngestSink& to;
  };
  IngestSink& sink_;
};

}  // namespace

std::vector<InputSummary> ingest_paths(const std::vector<std::string>& paths, const Knowledge& kb, IngestSinks& sinks,
                                       unsigned jobs) {
  std::vector<FoundFile> files;
  std::vector<InputSummary> missing;
  for (const auto& p : paths) walk(p, files, missing);
  Ingest ingest(kb, sinks, jobs);
  for (auto& s : missing) ingest.missing(std::move(s));
  for (const auto& f : files) ingest.file(f);
  return ingest.finish();
}

std::vector<InputSummary> ingest_paths(const std::vector<std::string>& paths, const Knowledge& kb, IngestSink& sink) {
  OneSink one(sink);
  return ingest_paths(paths, kb, one, 1);
}

}  // namespace kmsdiag
