// Ingest throughput: runs ingest_paths over the given files with sinks that only count, and prints
// records, MB, seconds and MB/s, on --jobs N threads (default 1), whatever formats the files are in.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest_driver.hpp"
#include "ingest/record_parts.hpp"

namespace {

class CountingSink final : public kmsdiag::IngestSink {
 public:
  void on_record(kmsdiag::Record&& r) override {
    ++records;
    fields += r.fields.size();  // touch the record so nothing is optimised away
  }
  void on_unused_event(kmsdiag::UnusedEvent&&) override { ++unused; }
  void on_problem(kmsdiag::Problem&& p) override {
    if (++problems <= 5) std::fprintf(stderr, "problem: %s\n", p.describe().c_str());
  }
  std::unique_ptr<kmsdiag::RecordPart> part() override;
  void add(const CountingSink& o) {
    records += o.records;
    unused += o.unused;
    fields += o.fields;
    problems += o.problems;
  }
  unsigned long long records = 0, unused = 0, fields = 0, problems = 0;
};

// Counts a part on the worker that decodes it, as analyze interprets there, and adds the counts to its
// unit in the part's turn. The default part would carry every record and event across to the delivering
// thread, and this bench would measure that rather than the reading.
class CountingPart final : public kmsdiag::RecordPart {
 public:
  explicit CountingPart(CountingSink& unit) : unit_(unit) {}
  void on_record(kmsdiag::Record&& r) override { counts_.on_record(std::move(r)); }
  void on_unused_event(kmsdiag::UnusedEvent&& e) override { counts_.on_unused_event(std::move(e)); }
  void on_problem(kmsdiag::Problem&& p) override { problems_.push_back(std::move(p)); }
  void deliver(uint64_t shift) override {
    unit_.add(counts_);
    for (kmsdiag::Problem& p : problems_) {
      kmsdiag::shift_position(p.where, shift);
      unit_.on_problem(std::move(p));
    }
  }

 private:
  CountingSink& unit_;
  CountingSink counts_;
  std::vector<kmsdiag::Problem> problems_;
};

std::unique_ptr<kmsdiag::RecordPart> CountingSink::part() { return std::make_unique<CountingPart>(*this); }

// One counting sink per unit of work, summed as the units close (in order, one at a time).
class CountingSinks final : public kmsdiag::IngestSinks {
 public:
  std::unique_ptr<kmsdiag::IngestSink> open() override { return std::make_unique<CountingSink>(); }
  void close(std::unique_ptr<kmsdiag::IngestSink> sink, std::vector<kmsdiag::InputSummary>&) override {
    total.add(static_cast<const CountingSink&>(*sink));
  }
  CountingSink total;
};

}  // namespace

int main(int argc, char** argv) {
  unsigned jobs = 1;
  int first = 1;
  if (argc > 2 && std::string_view(argv[1]) == "--jobs") {
    jobs = static_cast<unsigned>(std::atoi(argv[2]));
    first = 3;
  }
  if (argc <= first || jobs == 0) {
    std::fprintf(stderr, "usage: %s [--jobs N] FILE...\n", argv[0]);
    return 2;
  }
  const std::vector<std::string> paths(argv + first, argv + argc);
  // The shipped tables, as `kmsdiag analyze` reads with: they decide which events' data is decoded.
  const auto kb = kmsdiag::Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  CountingSinks sinks;
  const CountingSink& sink = sinks.total;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  const auto inputs = kmsdiag::ingest_paths(paths, kb, sinks, jobs);
  // Every input's digest, as a report has them: a big file's is computed beside the reading and may not be
  // done yet.
  for (const auto& in : inputs) (void)in.sha256.str();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // CPU time too: on a shared machine the wall clock also measures other people's jobs.
  const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  unsigned long long bytes = 0;
  for (const auto& in : inputs) {
    bytes += in.bytes;
    std::printf("input %s format=%s records=%llu problems=%zu%s%s\n", in.path.c_str(), in.format.c_str(),
                static_cast<unsigned long long>(in.records), in.problems.size(),
                in.skipped.empty() ? "" : " skipped: ", in.skipped.c_str());
  }
  const double mb = static_cast<double>(bytes) / 1e6;
  // Records read: built ones and unused ones (events not about activation, counted without a record).
  std::printf("records %llu built %llu unused %llu fields %llu problems %llu\n", sink.records + sink.unused,
              sink.records, sink.unused, sink.fields, sink.problems);
  std::printf("MB %.1f seconds %.2f MB/s %.1f cpu_seconds %.2f MB/s_cpu %.1f\n", mb, seconds,
              seconds > 0 ? mb / seconds : 0.0, cpu_seconds, cpu_seconds > 0 ? mb / cpu_seconds : 0.0);
  return 0;
}
