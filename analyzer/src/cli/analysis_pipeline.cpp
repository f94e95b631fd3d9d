#include "cli/analysis_pipeline.hpp"

#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "correlate/correlation_steps.hpp"
#include "correlate/correlator.hpp"
#include "ingest/ingest_driver.hpp"
#include "ingest/record_parts.hpp"
#include "interpret/fact_store.hpp"
#include "interpret/interpreter.hpp"
#include "model/record_tape.hpp"
#include "model/unread_facts.hpp"

namespace kmsdiag {
namespace {

constexpr size_t kProblemsPerUnit = 1000;  // printed; the rest of a unit's problems are counted

// Progress shared by the units reading concurrently; the callback is not thread-safe.
class Progress {
 public:
  explicit Progress(const PipelineOptions& options) : options_(options) {}
  void reading(const std::string& input) { report(input); }
  // `n` more records read. Counted in batches: one counter bumped by every worker for every record moved its
  // cache line between the cores 1.7 million times for a 512 MiB log.
  void records(const std::string& input, uint64_t n) {
    const uint64_t before = records_.fetch_add(n, std::memory_order_relaxed);
    if ((before >> 12) != ((before + n) >> 12)) report(input);  // about every 4,096
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

// Where the facts of every unit go: the host logs' 12290s to the ledger, which aggregates them as they
// come (a host log holds millions), every other fact to the store.
struct FactSinks {
  FactStore& store;
  correlation::HostRequestLedger& ledger;
};

// Where the work on each record hands its results: the unit's sink itself, or a part's buffer until the
// part's turn. `listed`: a problem found by interpreting (an undecodable KMS event, an implausible time),
// which the input's summary lists too; the reader's own problems reach the summary on their own way.
class Outlet {
 public:
  virtual ~Outlet() = default;
  virtual void fact(Record&& f) = 0;
  virtual void problem(Problem&& p, bool listed) = 0;
  virtual void kms_record() = 0;
  virtual void ignored(const std::string& kind) = 0;  // a record not used, as Analysis::ignored_events counts it
  virtual void unread(std::string_view kind, int64_t time_ms) = 0;  // a fact nothing reads: counted, not built
};

// The work on each record, wherever it runs: the unit's thread, or the worker decoding a part of it.
class RecordWork {
 public:
  RecordWork(const Knowledge& kb, Progress& progress, const std::string& input, Outlet& out)
      : interpreter_(
            kb, [&out](const std::string& kind) { out.ignored(kind); },
            [&out](std::string_view kind, int64_t time_ms) { out.unread(kind, time_ms); }),
        progress_(progress),
        input_(input),
        out_(out) {}
  RecordWork(const RecordWork&) = delete;
  RecordWork& operator=(const RecordWork&) = delete;
  ~RecordWork() { progress_.records(input_, uncounted_); }

  void record(Record&& r) {
    count();
    if (r.time_ms != kNoTime && !plausible_time(r.time_ms)) undate(r.source, r.time_ms, out_);
    if (interpreter_.interpret(r, facts_)) out_.kms_record();
    for (Record& f : facts_) out_.fact(std::move(f));
    facts_.clear();
    for (Problem& p : interpreter_.take_problems()) out_.problem(std::move(p), true);
  }
  void unused(UnusedEvent&& e) {
    count();
    if (e.time_ms != kNoTime && !plausible_time(e.time_ms)) undate(e.source, e.time_ms, out_);
    if (e.counted) {
      out_.kms_record();
      out_.unread(e.counted->kind, e.time_ms);
    } else {
      out_.ignored(e.key);
    }
  }

 private:
  // Every record's time enters here: one outside the plausible range is read as undated, and said so.
  static void undate(const SourceRef& source, int64_t& time_ms, Outlet& out) {
    // The extremes of int64 are beyond what format_time can count; a century-wide margin is not.
    constexpr int64_t kFormattable = int64_t{1} << 60;
    const std::string when = time_ms > -kFormattable && time_ms < kFormattable
                                 ? format_time(time_ms)
                                 : std::to_string(time_ms) + " ms from 1970";
    time_ms = kNoTime;
    out.problem(Problem{source, fmt::format("date/time {} is not between {} and {}: read as undated", when,
                                            format_time(kEarliestTimeMs), format_time(kLatestTimeMs))},
                true);
  }

  void count() {
    if (++uncounted_ == kProgressBatch) {
      progress_.records(input_, uncounted_);
      uncounted_ = 0;
    }
  }

  static constexpr uint64_t kProgressBatch = 256;
  Interpreter interpreter_;
  Progress& progress_;
  std::string input_;
  Outlet& out_;
  std::vector<Record> facts_;  // of the current record
  uint64_t uncounted_ = 0;     // records not yet counted in progress_
};

// What a part of a unit's input fills for its turn (InterpretingPart), reused from part to part.
struct PartBuffers {
  using KindCount = std::pair<const std::string, uint64_t>;
  RecordTape facts;
  // The ignored kinds, each counted once however often it came, in the order each first came. Replayed so,
  // they name the kinds a capped count (kMaxIgnoredKinds) names when every event is counted in turn: a kind
  // is named or not at its first event. And a log whose noise mixes a dozen kinds event by event costs the
  // unit a count a kind, not a map search an event.
  std::unordered_map<std::string, uint64_t> ignored;
  std::vector<KindCount*> ignored_order;
  KindCount* last_ignored = nullptr;

  void clear() {  // empties them and keeps the tape's room
    facts.clear();
    ignored.clear();
    ignored_order.clear();
    last_ignored = nullptr;
  }
};

// One unit of ingest (a file or an archive member), on its worker thread: interprets each record as
// it streams in and hands the facts straight on, so only KMS facts are kept, never the raw input. A
// reader that decodes parts of the input on other threads gets parts (InterpretingPart) that interpret
// there; their facts reach this sink in the parts' turns.
class InterpretingSink final : public IngestSink, private Outlet {
 public:
  InterpretingSink(const Knowledge& kb, Progress& progress, FactSinks facts, uint64_t unit)
      : kb_(kb), progress_(progress), sinks_(facts), unit_(unit) {}
  void begin_input(const std::string& path) override {
    kms_in_input_ = 0;
    input_ = path;
    work_.emplace(kb_, progress_, input_, static_cast<Outlet&>(*this));
    progress_.reading(input_);
  }
  void on_record(Record&& r) override { work_->record(std::move(r)); }
  void on_unused_event(UnusedEvent&& e) override { work_->unused(std::move(e)); }
  void on_problem(Problem&& p) override {
    if (problems.size() < kProblemsPerUnit)
      problems.push_back(std::move(p));
    else
      ++problems_not_kept;
  }
  std::unique_ptr<RecordPart> part() override;
  void end_input(InputSummary& s) override {
    progress_.input_done();
    s.kms_records = kms_in_input_;
    for (Problem& p : pending_) s.problems.push_back(std::move(p));
    pending_.clear();
  }
  const std::map<std::string, uint64_t>& ignored() const { return ignored_; }
  const UnreadFacts& unread() const { return unread_; }
  uint64_t facts() const { return seq_; }

  std::vector<Problem> problems;
  uint64_t problems_not_kept = 0;

 private:
  friend class InterpretingPart;
  void fact(Record&& f) override { deliver(f); }
  void deliver(const Record& f) {
    if (correlation::is_host_request(f)) {
      sinks_.ledger.add(f, unit_, seq_++);
    } else {
      sinks_.ledger.note_client_fact(f);
      sinks_.store.add(f, unit_, seq_++);
    }
  }
  void problem(Problem&& p, bool listed) override {
    if (listed && pending_.size() < 100) pending_.push_back(p);
    on_problem(std::move(p));
  }
  void kms_record() override { ++kms_in_input_; }
  void ignored(const std::string& kind, uint64_t n) { count_ignored(ignored_, kind, n); }
  void ignored(const std::string& kind) override { ignored(kind, 1); }
  void unread(std::string_view kind, int64_t time_ms) override { unread_.add(kind, time_ms); }

  const Knowledge& kb_;
  Progress& progress_;
  FactSinks sinks_;
  uint64_t unit_, seq_ = 0;
  std::optional<RecordWork> work_;  // of the current input
  uint64_t kms_in_input_ = 0;
  std::string input_;
  std::map<std::string, uint64_t> ignored_;  // of the inputs ended
  UnreadFacts unread_;
  std::vector<Problem> pending_;  // of the current input's records: undecodable KMS events, implausible times
  // Reused by the parts delivering here, one at a time: their facts are read back into it.
  Record delivered_;
  // Parts are made on the reading thread and delivered on whichever worker finishes them.
  std::unique_ptr<PartBuffers> take_buffers() {
    std::lock_guard lk(spare_m_);
    if (spare_.empty()) return std::make_unique<PartBuffers>();
    std::unique_ptr<PartBuffers> b = std::move(spare_.back());
    spare_.pop_back();
    return b;
  }
  void give_back(std::unique_ptr<PartBuffers> b) {
    b->clear();
    std::lock_guard lk(spare_m_);
    spare_.push_back(std::move(b));
  }
  std::mutex spare_m_;
  std::vector<std::unique_ptr<PartBuffers>> spare_;  // as many as parts were ever in flight at once
};

// A part of a unit's input, interpreted on the worker that decodes it: facts and problems wait here, in
// order, for the part's turn. What crosses to the thread that delivers it is a few buffers, not a few heap
// blocks per fact (RecordTape says why): facts on a tape, ignored kinds as runs in one text. The buffers
// go back to the unit once delivered and serve its next part: a 512 MiB log has 8,192 chunks, and fresh
// buffers grown by doubling for each were an eighth of the workers' time, in malloc, memcpy and the
// arena's lock.
class InterpretingPart final : public RecordPart, private Outlet {
 public:
  explicit InterpretingPart(InterpretingSink& unit)
      : unit_(unit),
        work_(unit.kb_, unit.progress_, unit.input_, static_cast<Outlet&>(*this)),
        buf_(unit.take_buffers()) {}
  void on_record(Record&& r) override { work_.record(std::move(r)); }
  void on_unused_event(UnusedEvent&& e) override { work_.unused(std::move(e)); }
  void on_problem(Problem&& p) override { problem(std::move(p), false); }
  void deliver(uint64_t shift) override {
    Record& fact = unit_.delivered_;
    while (buf_->facts.next(fact)) {
      shift_position(fact.source, shift);
      unit_.deliver(fact);
    }
    for (auto& [p, listed] : problems_) {
      shift_position(p.where, shift);
      unit_.problem(std::move(p), listed);
    }
    for (const PartBuffers::KindCount* kind : buf_->ignored_order) unit_.ignored(kind->first, kind->second);
    unit_.kms_in_input_ += kms_;
    unit_.unread_.merge(unread_);
    unit_.give_back(std::move(buf_));
  }

 private:
  void fact(Record&& f) override { buf_->facts.push(f); }
  void problem(Problem&& p, bool listed) override { problems_.emplace_back(std::move(p), listed); }
  void kms_record() override { ++kms_; }
  void ignored(const std::string& kind) override {
    PartBuffers& b = *buf_;
    if (b.last_ignored == nullptr || b.last_ignored->first != kind) {
      const auto [it, first] = b.ignored.try_emplace(kind, 0);
      if (first) b.ignored_order.push_back(&*it);
      b.last_ignored = &*it;
    }
    ++b.last_ignored->second;
  }
  void unread(std::string_view kind, int64_t time_ms) override { unread_.add(kind, time_ms); }

  InterpretingSink& unit_;
  RecordWork work_;
  std::unique_ptr<PartBuffers> buf_;
  std::vector<std::pair<Problem, bool>> problems_;
  uint64_t kms_ = 0;
  UnreadFacts unread_;
};

std::unique_ptr<RecordPart> InterpretingSink::part() { return std::make_unique<InterpretingPart>(*this); }

// Opens one sink per unit, numbered in input order, and closes them in that order: their problems go
// out (to stderr) in input order whatever order they were read in.
class InterpretingSinks final : public IngestSinks {
 public:
  InterpretingSinks(const PipelineOptions& options, const Knowledge& kb, FactSinks facts)
      : options_(options), kb_(kb), facts_(facts), progress_(options) {}
  std::unique_ptr<IngestSink> open() override {
    return std::make_unique<InterpretingSink>(kb_, progress_, facts_, units_++);
  }
  void close(std::unique_ptr<IngestSink> sink, std::vector<InputSummary>& summaries) override {
    auto& unit = static_cast<InterpretingSink&>(*sink);
    if (options_.on_problem) {
      for (const Problem& p : unit.problems) options_.on_problem(p);
      if (unit.problems_not_kept && !summaries.empty())
        options_.on_problem(Problem{{summaries.front().path, "", 0, ""},
                                    fmt::format("{} more problems not shown", unit.problems_not_kept)});
    }
    for (const auto& [key, n] : unit.ignored()) count_ignored(ignored, key, n);
    unread.merge(unit.unread());
    facts += unit.facts();
  }
  std::map<std::string, uint64_t> ignored;
  UnreadFacts unread;
  uint64_t facts = 0;  // interpreted

 private:
  const PipelineOptions& options_;
  const Knowledge& kb_;
  FactSinks facts_;
  Progress progress_;
  uint64_t units_ = 0;
};

// An input whose facts were all or partly copies of another input's says which (set on every `input`
// record, empty for the others).
void mark_copies(std::vector<Record>& facts, const std::map<std::string, std::string>& copies) {
  for (Record& r : facts) {
    if (r.kind != std::string_view("input")) continue;  // the length first: no other kind's text is read
    const auto it = copies.find(r.source.path.str());
    r.set("duplicate_of", it == copies.end() ? "" : it->second);
  }
}

}  // namespace

void count_only_unread_facts(Knowledge& kb, const RuleSet& rules) {
  const auto kinds = rules.kinds();
  kb.event_layouts.count_only_unread(
      [&kinds](const EventLayout& layout) { return kinds.count(layout.kind) > 0 || correlation_reads(layout); });
}

unsigned default_jobs() { return std::max(1u, std::min(8u, std::thread::hardware_concurrency())); }

Analysis run_analysis(const PipelineOptions& options, const Knowledge& kb, const RuleSet& rules) {
  // One heap for every thread. Readers free millions of short-lived records between the few things that
  // live on (the ledger's text, facts), so their pages stay partly used; correlation runs on this thread
  // and could reuse them only if they were in its own arena. With an arena per reading thread a
  // 1,000,000-request host log peaked 5 MB higher with two jobs than with one. The per-thread caches keep
  // the readers' small allocations off the arena lock as long as what one thread allocates it also frees:
  // what crosses between threads crosses as a few big buffers (RecordTape, the parts' decoded chunks).
  mallopt(M_ARENA_MAX, 1);
  // Blocks of 4 MiB and more from mmap, returned when freed. By default glibc raises that threshold to the
  // biggest block freed so far (up to 32 MiB), and from then on such blocks (a host log's request times, a
  // sort's buffer) come from the heap and their pages stay after they are freed: the same 1,000,000-request
  // host log peaked anywhere from 62 to 71 MB run to run, and at 61-62 MB with the threshold fixed. A 1 MiB
  // threshold kept it lower still, but mapping every event XML range buffer anew cost 8 % of the time.
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  Analysis analysis;
  FactStore store;
  correlation::HostRequestLedger ledger;
  uint64_t interpreted = 0;
  UnreadFacts unread;
  {
    InterpretingSinks sinks(options, kb, {store, ledger});
    analysis.inputs =
        ingest_paths(options.paths, kb, sinks, options.jobs ? std::min(options.jobs, kMaxJobs) : default_jobs());
    analysis.ignored_events = std::move(sinks.ignored);
    interpreted = sinks.facts;
    unread = std::move(sinks.unread);
  }
  for (const auto& in : analysis.inputs) {
    analysis.records_total += in.records;
    analysis.kms_records_total += in.kms_records;
  }
  ledger.seal();
  // The refusals the ledger keeps as facts join the others in input order.
  const std::vector<correlation::LedgerRefusal> refusals = ledger.take_refusals();
  for (const correlation::LedgerRefusal& r : refusals) store.add(r.fact, r.unit, r.seq);
  std::vector<Record> facts = store.take(correlation_room(store.size(), ledger, analysis.inputs.size()));
  if (options.on_facts) options.on_facts(interpreted, ledger.requests() + facts.size() - refusals.size());
  // Reading freed millions of short-lived event records, scattered between the facts in every
  // thread's heap; give those pages back before correlation builds its own records.
  malloc_trim(0);
  analysis.live = options.add_live_facts && options.add_live_facts(facts);
  analysis.fleet = correlate(facts, ledger, analysis.inputs, kb, unread);
  mark_copies(facts, store.duplicates());
  analysis.findings = rules.evaluate(facts);
  return analysis;
}

}  // namespace kmsdiag
