// Evaluates rules over a record set: match (kind, where, any), group, slide the time window, test
// `having`, and turn each qualifying group into a Finding. Groups of rules with the same cause about the
// same subject become one finding with all their evidence (evaluate_rules).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/analysis.hpp"
#include "rules/rule.hpp"

namespace kmsdiag {

inline constexpr size_t kEvidenceCap = 20;  // evidence entries kept per finding (every machine is listed)

// Kinds whose records are about the whole run or one input, never one machine (rules/schema.yaml
// `per_machine: false`): their empty `machine` is not a machine whose output does not name it.
using RunKinds = std::set<std::string, std::less<>>;
// Kind -> the list field naming every machine a record of that kind is about (rules/schema.yaml `machine_list`).
using MachineLists = std::map<std::string, std::string, std::less<>>;

// Records grouped by kind once, so each rule only visits the kinds it matches; and which machine the
// records without a machine name are about, where the inputs beside them tell.
class RecordIndex {
 public:
  explicit RecordIndex(const std::vector<Record>& records, RunKinds run_kinds = {}, MachineLists machine_lists = {});
  // Records of these kinds, in input order.
  std::vector<const Record*> of_kinds(const std::vector<std::string>& kinds) const;

  // The record is of a kind about the whole run or one input.
  bool about_run(const Record& r) const { return run_kinds_.count(r.kind) > 0; }

  // The list field naming every machine the record is about; "" when its `machine` says.
  std::string_view machine_list(const Record& r) const;

  // The machine a record without a machine name is about (command output has none), when the other input
  // files of its folder each name one machine on all their records, and the same one (an Application log
  // beside the same PC's slmgr output): that name, as first written. nullopt when they name none, several
  // (a host log names its clients too) or disagree: the record's machine stays unnamed. Live probe records
  // (`source: live`) name the computer that ran the probe and are left out.
  std::optional<std::string_view> folder_machine(const Record& r) const;

  // Where the output of a record's unnamed machine is, for a report to name that machine by: the input file
  // when its folder holds one file with records naming no machine, else the folder (with its separator; `./`
  // for the current folder). "" for a record that names its machine or is about the whole run.
  std::string_view unnamed_where(const Record& r) const;

 private:
  const std::vector<Record>& records_;
  RunKinds run_kinds_;
  MachineLists machine_lists_;
  std::unordered_map<std::string, std::vector<size_t>> by_kind_;
  std::unordered_map<std::string, std::string> folder_machine_;  // input folder -> the machine it holds
  std::unordered_map<std::string, std::string> unnamed_where_;   // input folder -> unnamed_where
};

// What a rule's group is about, from the fields the rule groups by ("" = the whole run):
//  - a computer: `machine`, `host`, `client`, `kms_host_name`, compared as short lower-case names; a record
//    without a machine name is the machine of its input folder (RecordIndex::folder_machine), else the unnamed
//    machine of that folder (model/machine_place.hpp);
//  - a DNS domain: `domain`, `srv_domain`, compared case-insensitively without a trailing dot;
//  - any other grouped field (`cmid`, `hresult`, `path`, ...) as itself, case-insensitively.
// Product fields (`product`, `product_name`, `product_family`, `product_n`, `act_id`) only split a subject's
// finding by product and are not part of the subject. A rule without group_by (or grouped by product fields
// only) is about the whole run.
std::string group_subject(const Rule& rule, const Record& first, const RecordIndex& index);

// One rule's findings, one per qualifying group, in group-key order, never merged; explained_by is left
// empty (see link_findings).
std::vector<Finding> evaluate_rule(const Rule& rule, const RecordIndex& index);

// Every rule's findings, with the groups of one cause merged into one finding when their subjects are equal,
// or when one of them is about the whole run (it already speaks for every subject of its cause):
// severity the highest, rule_id the most severe contributor (then by rule id) and rule_ids all of them,
// title and facts of that rule (facts of the others added where it has none), explanations joined without
// repeating a sentence, remediation, references and explains joined without repeats, evidence the union
// (a record, or two records of one event line, counts once; first kEvidenceCap in time order, evidence_total
// the true count) and machines the union. Findings come in order of their first group (rules in the
// given order, groups in key order); explained_by is left empty (see link_findings).
std::vector<Finding> evaluate_rules(const std::vector<const Rule*>& rules, const RecordIndex& index);

}  // namespace kmsdiag
