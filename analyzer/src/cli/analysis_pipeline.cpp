#include "cli/analysis_pipeline.hpp"

#include <fmt/format.h>
#include <malloc.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "correlate/correlator.hpp"
#include "ingest/ingest_driver.hpp"
#include "interpret/fact_store.hpp"
#include "interpret/interpreter.hpp"

namespace kmsdiag {
namespace {

constexpr size_t kProblemsPerUnit = 1000;  // printed; the rest of a unit's problems are counted

// Progress shared by the units reading concurrently; the callback is not thread-safe.
class Progress {
 public:
  explicit Progress(const PipelineOptions& options) : options_(options) {}
  void reading(const std::string& input) { report(input); }
  void record(const std::string& input) {
    if ((++records_ & 0xFFF) == 0) report(input);
  }
  void input_done() { ++done_; }

 private:
  void report(const std::string& input) {
    if (!options_.on_progress) return;
    std::lock_guard lk(m_);
    options_.on_progress(input, done_, records_);
  }
  const PipelineOptions& options_;
  std::mutex m_;
  std::atomic<uint64_t> records_{0}, done_{0};
};

// One unit of ingest (a file or an archive member), on its worker thread: interprets each record as
// it streams in and hands the facts straight to the store, so only KMS facts within the budget are
// kept, never the raw input.
class InterpretingSink final : public IngestSink {
 public:
  InterpretingSink(const Knowledge& kb, Progress& progress, FactStore& store, uint64_t unit)
      : interpreter_(kb), progress_(progress), store_(store), unit_(unit) {}
  void begin_input(const std::string& path) override {
    kms_in_input_ = 0;
    input_ = path;
    progress_.reading(input_);
  }
  void on_record(Record&& r) override {
    progress_.record(input_);
    kms_in_input_ += interpreter_.interpret(r, facts_) ? 1 : 0;
    for (Record& f : facts_) store_.add(std::move(f), unit_, seq_++);
    facts_.clear();
    for (Problem& p : interpreter_.take_problems()) {
      if (pending_.size() < 100) pending_.push_back(p);
      on_problem(std::move(p));
    }
  }
  void on_problem(Problem&& p) override {
    if (problems.size() < kProblemsPerUnit)
      problems.push_back(std::move(p));
    else
      ++problems_not_kept;
  }
  void end_input(InputSummary& s) override {
    progress_.input_done();
    s.kms_records = kms_in_input_;
    for (Problem& p : pending_) s.problems.push_back(std::move(p));
    pending_.clear();
  }
  const std::map<std::string, uint64_t>& ignored() const { return interpreter_.ignored(); }

  std::vector<Problem> problems;
  uint64_t problems_not_kept = 0;

 private:
  Interpreter interpreter_;
  Progress& progress_;
  FactStore& store_;
  uint64_t unit_, seq_ = 0;
  std::vector<Record> facts_;  // of the current record
  uint64_t kms_in_input_ = 0;
  std::string input_;
  std::vector<Problem> pending_;  // undecodable KMS events of the current input
};

// Opens one sink per unit, numbered in input order, and closes them in that order: their problems go
// out (to stderr) in input order whatever order they were read in.
class InterpretingSinks final : public IngestSinks {
 public:
  InterpretingSinks(const PipelineOptions& options, const Knowledge& kb, FactStore& store)
      : options_(options), kb_(kb), store_(store), progress_(options) {}
  std::unique_ptr<IngestSink> open() override {
    return std::make_unique<InterpretingSink>(kb_, progress_, store_, units_++);
  }
  void close(std::unique_ptr<IngestSink> sink, std::vector<InputSummary>& summaries) override {
    auto& unit = static_cast<InterpretingSink&>(*sink);
    if (options_.on_problem) {
      for (const Problem& p : unit.problems) options_.on_problem(p);
      if (unit.problems_not_kept && !summaries.empty())
        options_.on_problem(Problem{{summaries.front().path, "", 0, ""},
                                    fmt::format("{} more problems not shown", unit.problems_not_kept)});
    }
    for (const auto& [key, n] : unit.ignored()) ignored[key] += n;
  }
  std::map<std::string, uint64_t> ignored;

 private:
  const PipelineOptions& options_;
  const Knowledge& kb_;
  FactStore& store_;
  Progress progress_;
  uint64_t units_ = 0;
};

// The budget's effect, as an input problem: a report must never look complete when it is not.
void report_dropped_facts(const FactStore& store, Analysis& analysis, const PipelineOptions& options) {
  if (store.dropped() == 0) return;
  Problem p{store.newest_dropped(),
            fmt::format(
                "memory limit for KMS facts ({} MB) reached: kept the newest {} and left out {} older "
                "ones{}, the newest of them here; raise it with --fact-memory",
                store.budget() >> 20, store.kept(), store.dropped(),
                store.newest_dropped_ms() == kNoTime ? "" : " (up to " + format_time(store.newest_dropped_ms()) + ")")};
  if (options.on_problem) options.on_problem(p);
  InputSummary* owner = &analysis.inputs.back();
  for (auto& in : analysis.inputs)
    if (in.path == p.where.path) owner = &in;
  owner->problems.push_back(std::move(p));
}

}  // namespace

unsigned default_jobs() { return std::max(1u, std::min(8u, std::thread::hardware_concurrency())); }

Analysis run_analysis(const PipelineOptions& options, const Knowledge& kb, const RuleSet& rules) {
  Analysis analysis;
  FactStore store(options.fact_memory_bytes);
  {
    InterpretingSinks sinks(options, kb, store);
    analysis.inputs = ingest_paths(options.paths, kb, sinks, options.jobs ? options.jobs : default_jobs());
    analysis.ignored_events = std::move(sinks.ignored);
  }
  for (const auto& in : analysis.inputs) {
    analysis.records_total += in.records;
    analysis.kms_records_total += in.kms_records;
  }
  if (!analysis.inputs.empty()) report_dropped_facts(store, analysis, options);
  std::vector<Record> facts = store.take();
  // Reading freed millions of short-lived event records, scattered between the facts in every
  // thread's heap; give those pages back before correlation builds its own records.
  malloc_trim(0);
  if (options.add_live_facts) {
    options.add_live_facts(facts);
    analysis.live = true;
  }
  correlate(facts, analysis.inputs, kb);
  analysis.findings = rules.evaluate(facts);
  return analysis;
}

}  // namespace kmsdiag
