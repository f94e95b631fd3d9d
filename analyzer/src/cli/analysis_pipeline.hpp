// The analyze pipeline in one place: ingest -> interpret -> correlate -> rules, yielding an Analysis.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "knowledge/knowledge.hpp"
#include "model/analysis.hpp"
#include "model/record.hpp"
#include "rules/rule_set.hpp"

namespace kmsdiag {

struct PipelineOptions {
  std::vector<std::string> paths;
  // Extra facts from live probes (kmsdiag analyze --live); appended before correlation. Returns whether a
  // probe ran (false: it said why).
  std::function<bool(std::vector<Record>& facts)> add_live_facts;
  // Called with each input problem as it happens (the CLI prints them to stderr).
  std::function<void(const Problem&)> on_problem;
  // Called when an input starts and every few thousand records: input path, inputs finished, records read.
  // Calls come from the reading threads, one at a time.
  std::function<void(const std::string& input, uint64_t done, uint64_t records)> on_progress;
  // Called once the inputs are read: facts the interpreters made, and facts kept for correlation (a 12290
  // counts as one even when aggregated). The same unless an input repeated another's: copies count once.
  std::function<void(uint64_t interpreted, uint64_t kept)> on_facts;
  // Inputs read at the same time (0: one per core, at most 8; never more than kMaxJobs). The report is the
  // same for any value.
  unsigned jobs = 0;
};

// More threads than this only add stacks and contention: inputs are read from a handful of disks.
inline constexpr unsigned kMaxJobs = 64;

unsigned default_jobs();

// Lets `kb`'s event layouts whose facts neither `rules` nor correlation read be counted, not decoded
// (EventLayouts::count_only_unread): the report is the same, and a client's Application log is read in a
// fraction of the time and memory. Without it, every layout's facts are built, as tests of them want.
void count_only_unread_facts(Knowledge& kb, const RuleSet& rules);

Analysis run_analysis(const PipelineOptions& options, const Knowledge& kb, const RuleSet& rules);

}  // namespace kmsdiag
