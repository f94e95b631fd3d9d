#include "rules/rule_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_set>

#include "model/machine_place.hpp"
#include "rules/aggregator.hpp"

namespace kmsdiag {

RecordIndex::RecordIndex(const std::vector<Record>& records, RunKinds run_kinds, MachineLists machine_lists)
    : records_(records), run_kinds_(std::move(run_kinds)), machine_lists_(std::move(machine_lists)) {
  // Per input file: the one machine all its records name, if they do.
  struct FileNames {
    std::string key, name;
    bool several = false, unnamed = false;
  };
  std::map<std::string, FileNames> files;
  // Records come in long runs of one kind and one input file (a big log's facts): a run looks its kind and
  // its file up once, not each of its records. The maps' elements stay where they are as the maps grow.
  const SharedText *run_kind = nullptr, *run_path = nullptr;
  std::vector<size_t>* of_run_kind = nullptr;
  bool run_about_run = false;
  FileNames* run_file = nullptr;
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    if (run_kind == nullptr || r.kind != *run_kind) {
      run_kind = &r.kind;
      of_run_kind = &by_kind_[r.kind.str()];
      run_about_run = about_run(r);
    }
    of_run_kind->push_back(i);
    if (run_about_run || r.get("source") == "live") continue;
    if (run_path == nullptr || r.source.path != *run_path) {
      run_path = &r.source.path;
      run_file = &files[r.source.path.str()];
    }
    FileNames& file = *run_file;
    const std::string_view name = trim(r.machine);
    if (name.empty()) {
      file.unnamed = true;
    } else if (file.key.empty()) {
      file.key = machine_key(name);
      file.name = std::string(name);
    } else {
      file.several = file.several || (name != file.name && file.key != machine_key(name));
    }
  }
  constexpr std::string_view kDisagree = "\x1f";
  std::map<std::string, std::pair<std::string, std::string>> folders;  // folder -> (key, name)
  for (const auto& [path, file] : files) {
    if (file.unnamed || file.several || file.key.empty()) continue;
    const auto [it, fresh] = folders.try_emplace(std::string(input_folder(path)), file.key, file.name);
    if (!fresh && it->second.first != file.key) it->second.first = kDisagree;  // files of different machines
  }
  for (const auto& [folder, owner] : folders)
    if (owner.first != kDisagree) folder_machine_[folder] = owner.second;
  for (const auto& [path, file] : files) {
    if (!file.unnamed) continue;
    const std::string folder(input_folder(path));
    const auto [it, fresh] = unnamed_where_.try_emplace(folder, path);
    if (!fresh) it->second = folder.empty() ? "./" : folder;  // several files of the machine
  }
}

std::string_view RecordIndex::machine_list(const Record& r) const {
  const auto it = machine_lists_.find(r.kind);
  return it == machine_lists_.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view RecordIndex::unnamed_where(const Record& r) const {
  if (!trim(r.machine).empty() || about_run(r)) return {};
  const auto it = unnamed_where_.find(std::string(input_folder(r.source.path)));
  return it == unnamed_where_.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string_view> RecordIndex::folder_machine(const Record& r) const {
  if (!trim(r.machine).empty() || about_run(r)) return std::nullopt;
  const auto it = folder_machine_.find(std::string(input_folder(r.source.path)));
  if (it == folder_machine_.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::vector<const Record*> RecordIndex::of_kinds(const std::vector<std::string>& kinds) const {
  std::vector<size_t> positions;
  for (const std::string& kind : kinds)
    if (auto it = by_kind_.find(kind); it != by_kind_.end())
      positions.insert(positions.end(), it->second.begin(), it->second.end());
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  std::vector<const Record*> out;
  out.reserve(positions.size());
  for (size_t p : positions) out.push_back(&records_[p]);
  return out;
}

std::string group_subject(const Rule& rule, const Record& first, const RecordIndex& index) {
  static const std::set<std::string_view> kMachineFields = {"machine", "host", "client", "kms_host_name"};
  static const std::set<std::string_view> kDomainFields = {"domain", "srv_domain"};
  static const std::set<std::string_view> kProductFields = {"product", "product_name", "product_family", "product_n",
                                                            "act_id"};
  std::vector<std::string> parts;
  std::string scratch;
  for (const std::string& field : rule.match.group_by) {
    if (kProductFields.count(field)) continue;
    const std::string value(trim(RecordLookup(first).get(field, scratch).value_or("")));
    if (field == "machine") {
      const std::optional<std::string_view> owner = index.folder_machine(first);
      parts.push_back("machine=" + (owner ? "machine:" + machine_key(*owner) : place_key(first)));
    } else if (kMachineFields.count(field)) {
      parts.push_back("machine=machine:" + machine_key(value));
    } else if (kDomainFields.count(field)) {
      std::string domain = ascii_lower(value);
      while (!domain.empty() && domain.back() == '.') domain.pop_back();
      parts.push_back("domain=" + domain);
    } else {
      parts.push_back(field + "=" + ascii_lower(value));
    }
  }
  std::sort(parts.begin(), parts.end());
  std::string subject;
  for (const std::string& p : parts) subject += p + '\x1f';
  return subject;
}

namespace {

// A record's values as RecordLookup gives them, each looked up once however many rules ask: the rules of a
// kind read the same few fields (via, hresult_cause, activated, ...) of each of its records, and every
// lookup walks the record's fields. For one record at a time (reset()).
class MemoLookup final : public ValueLookup {
 public:
  void reset(const Record& r) {
    record_ = &r;
    seen_.clear();
  }
  std::optional<std::string_view> get(std::string_view name, std::string& scratch) const override {
    for (const auto& [seen, value] : seen_)
      if (seen == name) return value;
    const std::optional<std::string_view> value = RecordLookup(*record_).get(name, scratch);
    // A value made in `scratch` (the time) is good until the caller's next lookup only.
    const std::less<const char*> before;
    if (value && !scratch.empty() && !before(value->data(), scratch.data()) &&
        before(value->data(), scratch.data() + scratch.size()))
      return value;
    seen_.emplace_back(name, value);
    return value;
  }

 private:
  const Record* record_ = nullptr;
  mutable std::vector<std::pair<std::string_view, std::optional<std::string_view>>> seen_;
};

bool matches(const MatchSpec& m, const ValueLookup& values) {
  if (!all_hold(m.where, values)) return false;
  if (m.any.empty()) return true;
  return std::any_of(m.any.begin(), m.any.end(), [&](const auto& alt) { return all_hold(alt, values); });
}

// The records of one group that `having` accepts: all or none without a window; with a window,
// every record inside a qualifying window (the longest window starting at each record is tested).
// Records without a time cannot be placed in a window and are left out then.
std::vector<const Record*> select(const Rule& rule, const std::vector<const Record*>& group) {
  const MatchSpec& m = rule.match;
  if (!m.window_ms) {
    if (m.having.empty()) return group;
    Aggregator agg(rule.aggregates);
    for (const Record* r : group) agg.push_back(*r);
    return all_hold(m.having, agg) ? group : std::vector<const Record*>{};
  }
  std::vector<const Record*> timed;
  for (const Record* r : group)
    if (r->time_ms != kNoTime) timed.push_back(r);
  std::vector<const Record*> chosen;
  Aggregator agg(rule.aggregates);
  size_t end = 0, covered = 0;
  for (size_t begin = 0; begin < timed.size(); ++begin) {
    while (end < timed.size() && timed[end]->time_ms - timed[begin]->time_ms <= *m.window_ms)
      agg.push_back(*timed[end++]);
    if (all_hold(m.having, agg)) {
      for (size_t k = std::max(begin, covered); k < end; ++k) chosen.push_back(timed[k]);
      covered = end;
    }
    agg.pop_front();
  }
  return chosen;
}

// Distinct values of a field in time order, case-insensitively, with original spelling.
std::vector<std::string> distinct_values(const std::vector<const Record*>& records, std::string_view field) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  std::string scratch;
  for (const Record* r : records) {
    const std::optional<std::string_view> v = RecordLookup(*r).get(field, scratch);
    if (!v || trim(*v).empty()) continue;
    if (seen.insert(ascii_lower(trim(*v))).second) out.emplace_back(trim(*v));
  }
  return out;
}

bool less_ignoring_case(const std::string& a, const std::string& b) { return ascii_lower(a) < ascii_lower(b); }

// The machines a set of records (in time order) is about: those the records name, by name (as first
// written; `PC1` and `pc1.corp.example` are one machine, model/machine_place.hpp), and those whose output does not name
// them (slmgr, ospp, an export without a computer column): the machine its folder's other inputs name
// (RecordIndex::folder_machine), else one unnamed machine per input folder, known by where its output is
// (RecordIndex::unnamed_where). Records of a kind about the whole run are about no machine.
class Machines {
 public:
  Machines(const std::vector<const Record*>& records, const RecordIndex& index) : index_(index) {
    std::unordered_set<std::string> names_seen;
    std::unordered_set<std::string_view> where_seen;  // views into the index, which outlives this
    const auto add_name = [&](std::string_view name) {
      if (names_seen.insert(machine_key(name)).second) {
        names_.emplace_back(name);
        order_.push_back({false, names_.size() - 1});
      }
    };
    for (const Record* r : records) {
      if (const std::string_view field = index.machine_list(*r); !field.empty()) {
        // A list field is comma-separated (rules/schema.yaml `list`).
        for (std::string_view rest = r->get(field); !rest.empty();) {
          const size_t comma = std::min(rest.find(','), rest.size());
          if (const std::string_view name = trim(rest.substr(0, comma)); !name.empty()) add_name(name);
          rest.remove_prefix(std::min(comma + 1, rest.size()));
        }
      } else if (const std::string_view name = own_name(*r); !name.empty()) {
        add_name(name);
      } else if (const std::string_view where = index.unnamed_where(*r); !where.empty()) {
        if (where_seen.insert(where).second) {
          where_.emplace_back(where);
          order_.push_back({true, where_.size() - 1});
        }
      }
    }
  }

  size_t total() const { return names_.size() + where_.size(); }

  // The machine a record is about, in words: its name, or "the machine whose output is in <where>"; "" for a
  // record about the whole run.
  std::string name_of(const Record& r) const {
    if (const std::string_view name = own_name(r); !name.empty()) return std::string(name);
    const std::string_view where = index_.unnamed_where(r);
    return where.empty() ? std::string() : unnamed_machine_label(where);
  }

  // Every machine in words, in the order the records first show them.
  std::vector<std::string> in_order() const {
    std::vector<std::string> out;
    for (const auto& [unnamed, i] : order_) out.push_back(unnamed ? unnamed_machine_label(where_[i]) : names_[i]);
    return out;
  }

  // "PC1"; "2 machines (PC1, PC2)"; "the machine whose output is in X"; "" when there is none.
  std::string phrase() const {
    const std::vector<std::string> all = in_order();
    if (all.size() <= 1) return all.empty() ? "" : all.front();
    return fmt::format("{} machines ({})", all.size(), shorten_list(all));
  }

  // Hands the names over (a finding may list tens of thousands): the Machines are spent.
  void fill(Finding& f) && {
    f.machine_total = total();
    f.machines = std::move(names_);
    std::sort(f.machines.begin(), f.machines.end(), less_ignoring_case);
    f.unnamed_machines = std::move(where_);
    std::sort(f.unnamed_machines.begin(), f.unnamed_machines.end());
  }

 private:
  std::string_view own_name(const Record& r) const {
    if (index_.about_run(r)) return {};
    const std::string_view name = trim(r.machine);
    return name.empty() ? index_.folder_machine(r).value_or("") : name;
  }

  const RecordIndex& index_;
  std::vector<std::string> names_, where_;
  std::vector<std::pair<bool, size_t>> order_;  // (unnamed, index into names_ / where_) in first-seen order
};

// What an `explain` template sees: the group's aggregates, its first record's fields, {group.F},
// {values.F}, {first_time}, {last_time} and {machine_list}. Machines are counted and named with the
// machines whose output does not name them ({machine}, {group.machine}, {first.machine}, {last.machine},
// {values.machine}, {distinct.machine}), so command output never reads as "0 machines" or "(unknown)".
class ExplainLookup : public ValueLookup {
 public:
  ExplainLookup(const Aggregator& agg, const std::vector<const Record*>& records, const Machines& machines,
                int64_t first_ms, int64_t last_ms)
      : agg_(agg), records_(records), machines_(machines), first_ms_(first_ms), last_ms_(last_ms) {}

  std::optional<std::string_view> get(std::string_view name, std::string& scratch) const override {
    if (name == "machine_list") return text(machines_.phrase(), scratch);
    if (name == "distinct.machine") return text(format_number(static_cast<double>(machines_.total())), scratch);
    if (name == "values.machine") return text(shorten_list(machines_.in_order()), scratch);
    if (name == "machine" || name == "group.machine" || name == "first.machine" || name == "last.machine")
      return text(machines_.name_of(name == "last.machine" ? *records_.back() : *records_.front()), scratch);
    if (name.rfind("group.", 0) == 0) return RecordLookup(*records_.front()).get(name.substr(6), scratch);
    if (name.rfind("values.", 0) == 0) return text(shorten_list(distinct_values(records_, name.substr(7))), scratch);
    if (name == "first_time" || name == "last_time") {
      const int64_t t = name == "first_time" ? first_ms_ : last_ms_;
      if (t == kNoTime) return std::nullopt;
      return text(format_time(t), scratch);
    }
    return agg_.get(name, scratch);
  }

 private:
  static std::optional<std::string_view> text(std::string value, std::string& scratch) {
    if (value.empty()) return std::nullopt;
    scratch = std::move(value);
    return std::string_view(scratch);
  }

  const Aggregator& agg_;
  const std::vector<const Record*>& records_;
  const Machines& machines_;
  int64_t first_ms_, last_ms_;
};

std::pair<int64_t, int64_t> time_span(const std::vector<const Record*>& records) {
  int64_t first = kNoTime, last = kNoTime;
  for (const Record* r : records) {
    if (r->time_ms == kNoTime) continue;
    if (first == kNoTime || r->time_ms < first) first = r->time_ms;
    last = std::max(last, r->time_ms);
  }
  return {first, last};
}

// One rule's qualifying group, with what the rule says about it.
struct Group {
  const Rule* rule = nullptr;
  std::vector<const Record*> records;  // in time order
  std::string subject;                 // group_subject; "" = the whole run
  std::string explanation;
  std::map<std::string, std::string> facts;
};

Group make_group(const Rule& rule, std::vector<const Record*> records, const RecordIndex& index) {
  Group g;
  g.rule = &rule;
  g.records = std::move(records);
  g.subject = group_subject(rule, *g.records.front(), index);
  Aggregator agg(rule.aggregates);
  for (const Record* r : g.records) agg.push_back(*r);
  std::string scratch;
  for (const std::string& field : rule.match.group_by)
    g.facts[field] = std::string(RecordLookup(*g.records.front()).get(field, scratch).value_or(""));
  g.facts["count"] = std::to_string(g.records.size());
  for (const std::string& name : rule.aggregates)
    if (auto v = agg.get(name, scratch)) g.facts[name] = std::string(*v);
  const auto [first, last] = time_span(g.records);
  g.explanation = rule.explain.render(ExplainLookup(agg, g.records, Machines(g.records, index), first, last));
  // A sentence that opens with an unnamed machine starts with a capital.
  const std::string label = unnamed_machine_label("");
  const std::string_view opening = std::string_view(label).substr(0, label.find(" in "));
  if (g.explanation.rfind(opening, 0) == 0) g.explanation[0] = 'T';
  return g;
}

// The group key of a record: its group_by values, case-insensitively. A record without a machine name
// groups by its input folder under `machine`: slmgr output of two machines is two groups, not one.
std::string group_key(const Rule& rule, const Record& r, const ValueLookup& values) {
  std::string key, scratch;
  for (const std::string& field : rule.match.group_by) {
    const std::string_view value = trim(values.get(field, scratch).value_or(""));
    if (field == "machine" && value.empty()) {
      key += '\x1e';
      key += input_folder(r.source.path);
    } else {
      key += ascii_lower(value);
    }
    key += '\x1f';
  }
  return key;
}

using MatchedGroups = std::map<std::string, std::vector<const Record*>>;  // ordered: deterministic output

// The records each rule matches, by group key, each group in input order: record by record, every rule of
// its kind in turn, so that each field a rule asks for is looked up once a record (MemoLookup).
std::vector<MatchedGroups> match_groups(const std::vector<const Rule*>& rules, const RecordIndex& index) {
  std::map<std::string_view, std::vector<size_t>> by_kind;  // kind -> the rules reading it, each once
  for (size_t i = 0; i < rules.size(); ++i)
    for (const std::string& kind : rules[i]->match.kinds) {
      std::vector<size_t>& readers = by_kind[kind];
      if (readers.empty() || readers.back() != i) readers.push_back(i);
    }
  std::vector<std::string> kinds;
  for (const auto& [kind, readers] : by_kind) kinds.emplace_back(kind);
  std::vector<MatchedGroups> groups(rules.size());
  MemoLookup values;
  const std::vector<size_t>* readers = nullptr;
  std::string_view readers_kind;
  for (const Record* r : index.of_kinds(kinds)) {
    if (readers == nullptr || r->kind != readers_kind) {  // records come in runs of one kind
      readers = &by_kind.find(r->kind)->second;
      readers_kind = r->kind;
    }
    values.reset(*r);
    for (size_t i : *readers)
      if (matches(rules[i]->match, values)) groups[i][group_key(*rules[i], *r, values)].push_back(r);
  }
  return groups;
}

std::vector<Group> rule_groups(const Rule& rule, MatchedGroups groups, const RecordIndex& index) {
  std::vector<Group> out;
  for (auto& [key, group] : groups) {
    std::stable_sort(group.begin(), group.end(),
                     [](const Record* a, const Record* b) { return a->time_ms < b->time_ms; });
    std::vector<const Record*> chosen = select(rule, group);
    if (!chosen.empty()) out.push_back(make_group(rule, std::move(chosen), index));
  }
  return out;
}

// What makes two records one piece of evidence: the same input position, time and machine (an attempt and
// the license state read from the same event line). A record without a position is only itself.
using EvidenceKey = std::tuple<std::string_view, std::string_view, uint64_t, std::string_view, int64_t,
                               std::string_view, const Record*>;

EvidenceKey evidence_key(const Record& r) {
  if (r.source.unit.empty()) return {r.source.path, {}, 0, {}, r.time_ms, r.machine, &r};
  return {r.source.path, r.source.unit, r.source.position, r.source.record_id, r.time_ms, r.machine, nullptr};
}

void append_new(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const std::string& item : from)
    if (std::find(to.begin(), to.end(), item) == to.end()) to.push_back(item);
}

// The sentences of an explanation: each ends with ". " (or the text's end) outside parentheses.
std::vector<std::string_view> sentences(std::string_view text) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && depth > 0) --depth;
    if (text[i] == '.' && depth == 0 && i + 1 < text.size() && text[i + 1] == ' ') {
      out.push_back(trim(text.substr(start, i + 1 - start)));
      start = i + 2;
    }
  }
  if (const std::string_view rest = trim(text.substr(std::min(start, text.size()))); !rest.empty()) out.push_back(rest);
  return out;
}

// One finding from the groups of one cause about one subject (see evaluate_rules); `parts` in group order.
Finding build_finding(std::vector<const Group*> parts, const RecordIndex& index) {
  std::stable_sort(parts.begin(), parts.end(), [](const Group* a, const Group* b) {
    if (a->rule->severity != b->rule->severity) return a->rule->severity > b->rule->severity;
    return a->rule->id < b->rule->id;
  });
  const Rule& primary = *parts.front()->rule;
  Finding f;
  f.rule_id = primary.id;
  f.cause = primary.cause;
  f.severity = primary.severity;
  f.title = primary.title;
  f.facts = parts.front()->facts;
  std::unordered_set<std::string_view> said;
  for (const Group* p : parts) {
    append_new(f.rule_ids, {p->rule->id});
    append_new(f.remediation, p->rule->remediation);
    append_new(f.references, p->rule->references);
    append_new(f.explains, p->rule->explains);
    for (const auto& [key, value] : p->facts) f.facts.try_emplace(key, value);
    for (std::string_view sentence : sentences(p->explanation))
      if (said.insert(sentence).second) f.explanation += (f.explanation.empty() ? "" : " ") + std::string(sentence);
  }

  // The records of every part, each piece of evidence once, summarised by the first rule that has it.
  std::vector<std::pair<const Record*, const Rule*>> items;
  std::set<EvidenceKey> seen;
  for (const Group* p : parts)
    for (const Record* r : p->records)
      if (seen.insert(evidence_key(*r)).second) items.push_back({r, p->rule});
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.first->time_ms < b.first->time_ms; });
  std::vector<const Record*> records;
  records.reserve(items.size());
  for (const auto& item : items) records.push_back(item.first);

  f.evidence_total = records.size();
  std::tie(f.first_ms, f.last_ms) = time_span(records);
  for (size_t i = 0; i < items.size() && i < kEvidenceCap; ++i) {
    const auto& [r, rule] = items[i];
    f.evidence.push_back({r->source, r->time_ms, r->machine.str(),
                          rule->evidence.empty() ? r->kind.str() : rule->evidence.render(RecordLookup(*r))});
  }
  Machines(records, index).fill(f);
  for (const Group* p : parts)
    for (const std::string& field : p->rule->lists)
      if (!f.lists.count(field)) f.lists[field] = distinct_values(records, field);
  return f;
}

}  // namespace

std::vector<Finding> evaluate_rule(const Rule& rule, const RecordIndex& index) {
  std::vector<Finding> findings;
  for (const Group& g : rule_groups(rule, std::move(match_groups({&rule}, index).front()), index))
    findings.push_back(build_finding({&g}, index));
  return findings;
}

std::vector<Finding> evaluate_rules(const std::vector<const Rule*>& rules, const RecordIndex& index) {
  std::vector<Group> groups;
  std::vector<MatchedGroups> matched = match_groups(rules, index);
  for (size_t i = 0; i < rules.size(); ++i) {
    std::vector<Group> found = rule_groups(*rules[i], std::move(matched[i]), index);
    std::move(found.begin(), found.end(), std::back_inserter(groups));
  }
  // A cause found for the whole run takes in every group of that cause; otherwise one finding per subject.
  std::set<std::string_view> whole_run;
  for (const Group& g : groups)
    if (g.subject.empty()) whole_run.insert(g.rule->cause);
  std::vector<std::vector<const Group*>> merged;
  std::map<std::pair<std::string_view, std::string_view>, size_t> slot;  // (cause, subject) -> merged index
  for (const Group& g : groups) {
    const std::string_view subject = whole_run.count(g.rule->cause) ? std::string_view() : g.subject;
    const auto [it, fresh] = slot.try_emplace({g.rule->cause, subject}, merged.size());
    if (fresh) merged.emplace_back();
    merged[it->second].push_back(&g);
  }
  std::vector<Finding> findings;
  findings.reserve(merged.size());
  for (const auto& parts : merged) findings.push_back(build_finding(parts, index));
  return findings;
}

}  // namespace kmsdiag
