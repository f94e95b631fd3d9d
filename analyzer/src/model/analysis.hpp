// What an analysis produces: per-input accounting and root-cause findings. Shared by the rule
// engine (which fills findings) and the reports (which render them), so neither depends on the other.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/fleet_overview.hpp"
#include "model/record.hpp"

namespace kmsdiag {

enum class Severity { info = 0, warning = 1, error = 2, critical = 3 };
std::string_view to_string(Severity s);
std::optional<Severity> parse_severity(std::string_view text);

// A digest still being computed (a big file is hashed on the cores' idle time: ingest/idle_digest.hpp).
class DigestInProgress {
 public:
  virtual ~DigestInProgress() = default;
  // The digest in lower-case hex, "" for none: waits for it, or computes the rest on the calling thread.
  virtual const std::string& digest() const = 0;
};

// An input's SHA-256 in lower-case hex ("" for none): known when its summary is made, or still in progress.
class InputDigest {
 public:
  InputDigest() = default;
  InputDigest(std::string hex) : hex_(std::move(hex)) {}  // implicit: a digest known now is its text
  explicit InputDigest(std::shared_ptr<const DigestInProgress> later) : later_(std::move(later)) {}
  const std::string& str() const { return later_ ? later_->digest() : hex_; }

 private:
  std::string hex_;
  std::shared_ptr<const DigestInProgress> later_;
};

// One input file (or archive member) and what became of it.
struct InputSummary {
  std::string path;
  std::string format;    // detected format id, "" when skipped
  std::string encoding;  // "utf-8", "utf-16le", "cp932", "binary", ...
  uint64_t bytes = 0;
  InputDigest sha256;                // of the file's bytes; "" for an archive member (its archive has one), a file that
                                     // could not be read to the end or one that changed while it was read
  uint64_t records = 0;              // records read
  uint64_t kms_records = 0;          // of which the interpreters used
  std::vector<Problem> problems;     // the first ones (memory stays bounded whatever the input)
  uint64_t problems_not_listed = 0;  // reported on stderr as they happened, but not kept in `problems`
  std::string skipped;               // non-empty: why the file was not read at all
};

// Ignored events are counted by kind, but an input can name millions of kinds (a channel per event):
// past kMaxIgnoredKinds names, events of new kinds are counted under kOtherIgnoredKinds.
inline constexpr size_t kMaxIgnoredKinds = 1000;
inline constexpr std::string_view kOtherIgnoredKinds = "(other kinds)";
void count_ignored(std::map<std::string, uint64_t>& kinds, const std::string& kind, uint64_t n = 1);
// "<channel or provider> <event id>": the kind an ignored event is counted as.
std::string ignored_event_key(std::string_view provider, std::string_view channel, std::string_view event_id);
// The same, written over `key` (whose room is reused: readers make one for each of millions of events).
void ignored_event_key(std::string& key, std::string_view provider, std::string_view channel,
                       std::string_view event_id);

struct Evidence {
  SourceRef source;
  int64_t time_ms = kNoTime;
  std::string machine;
  std::string summary;  // one line: what this record shows ("12288 0xC004F074 via kms1:1688")
};

// One root cause (or symptom) for one subject, with all its evidence: the rules that share a cause and
// find it for the same subject (machine, host, domain, ...) contribute to one finding (rules/rule_engine.hpp).
struct Finding {
  std::string rule_id;                // the primary rule: the most severe contributor (then by id)
  std::vector<std::string> rule_ids;  // every rule that contributed, rule_id first
  std::string cause;                  // stable catalog id, e.g. "duplicate-cmid"
  Severity severity = Severity::info;
  std::string title;
  std::string explanation;                // rendered template
  std::vector<std::string> remediation;   // concrete commands / steps
  std::vector<std::string> references;    // URLs
  std::vector<std::string> explains;      // causes this one accounts for (from the rule)
  std::vector<std::string> explained_by;  // causes found in this run that account for this one
  std::vector<Evidence> evidence;         // capped sample, in time order
  uint64_t evidence_total = 0;            // how many records matched in all
  std::vector<std::string> machines;      // every distinct machine name involved
  // Machines the records do not name (command output), each as the file holding its output, or the folder
  // (with its trailing separator) holding several of its files (model/machine_place.hpp).
  std::vector<std::string> unnamed_machines;
  uint64_t machine_total = 0;  // distinct machines in all, named and unnamed
  // Every distinct value of the fields the rules list (`lists:`), by field: each CMID of a clone finding.
  std::map<std::string, std::vector<std::string>> lists;
  int64_t first_ms = kNoTime, last_ms = kNoTime;
  std::map<std::string, std::string> facts;  // group key and aggregate values, for JSON consumers
};

// The rule set a report was made with: its folder and one SHA-256 over every rule and table file loaded
// (cli/run_provenance.hpp says how, so anyone can recompute it).
struct RuleSetIdentity {
  std::string path;
  std::string sha256;  // "" when not computed
  size_t files = 0;
};

struct Analysis {
  std::vector<InputSummary> inputs;
  RuleSetIdentity rule_set;
  std::vector<Finding> findings;                   // root causes first, then by severity
  std::map<std::string, uint64_t> ignored_events;  // "Application 1033" -> count, never fatal
  uint64_t records_total = 0;
  uint64_t kms_records_total = 0;
  bool live = false;    // live probes contributed
  FleetOverview fleet;  // series and inventory for the HTML report
};

}  // namespace kmsdiag
