#include "cli/analysis_pipeline.hpp"

#include "correlate/correlator.hpp"
#include "ingest/ingest_driver.hpp"
#include "interpret/interpreter.hpp"

namespace kmsdiag {
namespace {

// Interprets each record as it streams in, so only KMS facts are kept, never the raw input.
class InterpretingSink final : public IngestSink {
 public:
  InterpretingSink(Interpreter& interpreter, std::vector<Record>& facts, const PipelineOptions& options)
      : interpreter_(interpreter), facts_(facts), options_(options) {}
  void begin_input(const std::string& path) override {
    kms_in_input_ = 0;
    input_ = path;
    if (options_.on_progress) options_.on_progress(input_, inputs_done_, records_);
  }
  void on_record(Record&& r) override {
    if (++records_ % 4096 == 0 && options_.on_progress) options_.on_progress(input_, inputs_done_, records_);
    kms_in_input_ += interpreter_.interpret(r, facts_) ? 1 : 0;
    for (Problem& p : interpreter_.take_problems()) {
      if (options_.on_problem) options_.on_problem(p);
      if (pending_.size() < 100) pending_.push_back(std::move(p));
    }
  }
  void on_problem(Problem&& p) override {
    if (options_.on_problem) options_.on_problem(p);
  }
  void end_input(InputSummary& s) override {
    ++inputs_done_;
    s.kms_records = kms_in_input_;
    for (Problem& p : pending_) s.problems.push_back(std::move(p));
    pending_.clear();
  }

 private:
  Interpreter& interpreter_;
  std::vector<Record>& facts_;
  const PipelineOptions& options_;
  uint64_t kms_in_input_ = 0;
  std::string input_;
  uint64_t inputs_done_ = 0, records_ = 0;
  std::vector<Problem> pending_;  // undecodable KMS events of the current input
};

}  // namespace

Analysis run_analysis(const PipelineOptions& options, const Knowledge& kb, const RuleSet& rules) {
  Analysis analysis;
  std::vector<Record> facts;
  Interpreter interpreter(kb);
  InterpretingSink sink(interpreter, facts, options);
  analysis.inputs = ingest_paths(options.paths, kb, sink);
  for (const auto& in : analysis.inputs) {
    analysis.records_total += in.records;
    analysis.kms_records_total += in.kms_records;
  }
  analysis.ignored_events = interpreter.ignored();
  if (options.add_live_facts) {
    options.add_live_facts(facts);
    analysis.live = true;
  }
  correlate(facts, analysis.inputs, kb);
  analysis.findings = rules.evaluate(facts);
  return analysis;
}

}  // namespace kmsdiag
