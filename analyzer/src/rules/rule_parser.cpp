#include "rules/rule_parser.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <set>

#include "rules/aggregator.hpp"

namespace kmsdiag {
namespace {

int line_of(const YAML::Node& n) { return n.Mark().is_null() ? 0 : n.Mark().line + 1; }

// Loads a YAML document, turning syntax errors into a RuleError at the parser's position.
std::optional<YAML::Node> load_yaml(const std::string& path, std::vector<RuleError>& errors) {
  try {
    return YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    errors.push_back({path, 0, "cannot read file"});
  } catch (const YAML::ParserException& e) {
    errors.push_back({path, e.mark.is_null() ? 0 : e.mark.line + 1, "YAML syntax error: " + e.msg});
  }
  return std::nullopt;
}

// Collects the errors of one file; a rule is kept only if it collected none.
class RuleReader {
 public:
  RuleReader(std::string path, const CauseCatalog* catalog, std::vector<RuleError>& errors)
      : path_(std::move(path)), catalog_(catalog), errors_(errors), first_error_(errors.size()) {}

  std::unique_ptr<Rule> read(const YAML::Node& doc);

 private:
  void error(const YAML::Node& at, std::string message) { errors_.push_back({path_, line_of(at), std::move(message)}); }
  bool failed() const { return errors_.size() > first_error_; }

  // Every key of `map` is one of `known`; reports the others.
  void check_keys(const YAML::Node& map, std::string_view where, std::initializer_list<std::string_view> known);
  std::optional<YAML::Node> required(const YAML::Node& map, const char* key);
  std::optional<std::string> scalar(const YAML::Node& n, std::string_view what);
  // A list of text values; `allow_single` also accepts one bare value, `allow_empty` an empty list.
  std::vector<std::string> scalar_list(const YAML::Node& n, std::string_view what, bool allow_single,
                                       bool allow_empty = false);
  std::optional<TextTemplate> text_template(const YAML::Node& n, std::string_view what);
  void check_cause(const YAML::Node& n, const std::string& cause);

  Operand operand(const YAML::Node& n);
  void conditions(const YAML::Node& map, std::string_view what, bool aggregates_only, std::vector<Condition>& out);
  void condition_ops(const std::string& field, const YAML::Node& ops, std::vector<Condition>& out);
  void match(const YAML::Node& n, Rule& rule);
  std::vector<Record> examples(const YAML::Node& list, std::string_view what);
  void collect_aggregates(Rule& rule);

  std::string path_;
  const CauseCatalog* catalog_;
  std::vector<RuleError>& errors_;
  size_t first_error_;
};

void RuleReader::check_keys(const YAML::Node& map, std::string_view where,
                            std::initializer_list<std::string_view> known) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string key = it->first.Scalar();
    if (std::find(known.begin(), known.end(), key) == known.end())
      error(it->first, fmt::format("unknown key '{}' in {}", key, where));
  }
}

std::optional<YAML::Node> RuleReader::required(const YAML::Node& map, const char* key) {
  const YAML::Node n = map[key];
  if (n.IsDefined() && !n.IsNull()) return n;
  error(map, fmt::format("missing required key '{}'", key));
  return std::nullopt;
}

std::optional<std::string> RuleReader::scalar(const YAML::Node& n, std::string_view what) {
  if (n.IsScalar() && !trim(n.Scalar()).empty()) return n.Scalar();
  error(n, fmt::format("{} must be a non-empty text value", what));
  return std::nullopt;
}

std::vector<std::string> RuleReader::scalar_list(const YAML::Node& n, std::string_view what, bool allow_single,
                                                 bool allow_empty) {
  std::vector<std::string> out;
  if (allow_single && n.IsScalar()) {
    if (auto s = scalar(n, what)) out.push_back(*s);
    return out;
  }
  if (allow_empty && n.IsSequence() && n.size() == 0) return out;
  if (!n.IsSequence() || n.size() == 0) {
    error(n, fmt::format("{} must be a non-empty list{}", what, allow_single ? " or a single value" : ""));
    return out;
  }
  for (const YAML::Node& item : n)
    if (auto s = scalar(item, what)) out.push_back(*s);
  return out;
}

std::optional<TextTemplate> RuleReader::text_template(const YAML::Node& n, std::string_view what) {
  const std::optional<std::string> text = scalar(n, what);
  if (!text) return std::nullopt;
  std::string why;
  std::optional<TextTemplate> t = TextTemplate::parse(*text, why);
  if (!t) error(n, fmt::format("{}: {}", what, why));
  return t;
}

void RuleReader::check_cause(const YAML::Node& n, const std::string& cause) {
  if (catalog_ && !catalog_->count(cause))
    error(n, fmt::format("unknown cause '{}' (the catalog is rules/{})", cause, kCauseCatalogFile));
}

Operand RuleReader::operand(const YAML::Node& n) {
  Operand o;
  const std::optional<std::string> text = scalar(n, "a comparison value");
  if (!text) return o;
  if (text->size() > 1 && (*text)[0] == '$') {
    o.is_ref = true;
    o.text = text->substr(1);
  } else {
    o.text = *text;
    o.number = to_number(*text);
  }
  return o;
}

void RuleReader::condition_ops(const std::string& field, const YAML::Node& ops, std::vector<Condition>& out) {
  if (ops.size() == 0) error(ops, fmt::format("'{}' has no operator", field));
  for (auto it = ops.begin(); it != ops.end(); ++it) {
    const std::string name = it->first.Scalar();
    const YAML::Node arg = it->second;
    Condition c;
    c.field = field;
    c.line = line_of(it->first);
    const std::optional<Op> op = parse_op(name);
    if (!op) {
      error(it->first,
            fmt::format("unknown operator '{}' on '{}' (use eq ne lt le gt ge regex not_regex exists in not_in)", name,
                        field));
      continue;
    }
    c.op = *op;
    switch (c.op) {
      case Op::exists:
        if (!arg.IsScalar() || (arg.Scalar() != "true" && arg.Scalar() != "false")) {
          error(arg, fmt::format("'exists' on '{}' takes true or false", field));
          continue;
        }
        c.exists = arg.Scalar() == "true";
        break;
      case Op::regex:
      case Op::not_regex: {
        const std::optional<std::string> pattern = scalar(arg, "a regular expression");
        if (!pattern) continue;
        RE2::Options options;
        options.set_log_errors(false);
        auto re = std::make_shared<const RE2>(*pattern, options);
        if (!re->ok()) {
          error(arg, fmt::format("bad regular expression for '{}': {}", field, re->error()));
          continue;
        }
        c.re = std::move(re);
        break;
      }
      case Op::in:
      case Op::not_in:
        if (!arg.IsSequence() || arg.size() == 0) {
          error(arg, fmt::format("'{}' on '{}' takes a non-empty list", name, field));
          continue;
        }
        for (const YAML::Node& item : arg) c.operands.push_back(operand(item));
        break;
      default:
        c.operands.push_back(operand(arg));
    }
    out.push_back(std::move(c));
  }
}

void RuleReader::conditions(const YAML::Node& map, std::string_view what, bool aggregates_only,
                            std::vector<Condition>& out) {
  if (!map.IsMap() || map.size() == 0) {
    error(map, fmt::format("{} must be a map of field: condition", what));
    return;
  }
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string field = it->first.Scalar();
    if (aggregates_only && !parse_aggregate_name(field)) {
      error(it->first, fmt::format("'{}' in {} is not an aggregate (count, distinct.F, first.F, last.F, min.F, "
                                   "max.F, sum.F)",
                                   field, what));
      continue;
    }
    const YAML::Node v = it->second;
    if (v.IsMap()) {
      condition_ops(field, v, out);
    } else if (v.IsScalar()) {
      Condition c;
      c.field = field;
      c.line = line_of(it->first);
      c.operands.push_back(operand(v));
      out.push_back(std::move(c));
    } else {
      error(it->first, fmt::format("'{}' needs a value or an operator map (for a list use 'in: [...]')", field));
    }
  }
}

void RuleReader::match(const YAML::Node& n, Rule& rule) {
  MatchSpec& m = rule.match;
  if (!n.IsMap()) {
    error(n, "'match' must be a map");
    return;
  }
  check_keys(n, "match", {"kind", "where", "any", "group_by", "window", "having"});
  if (auto kind = required(n, "kind")) {
    m.kinds = scalar_list(*kind, "'kind'", true);
    rule.kind_line = line_of(*kind);
  }
  if (n["where"]) conditions(n["where"], "'where'", false, m.where);
  if (const YAML::Node any = n["any"]) {
    if (!any.IsSequence() || any.size() == 0) error(any, "'any' must be a non-empty list of condition maps");
    for (const YAML::Node& alt : any) conditions(alt, "an 'any' entry", false, m.any.emplace_back());
  }
  if (n["group_by"]) {
    m.group_by = scalar_list(n["group_by"], "'group_by'", true);
    rule.group_by_line = line_of(n["group_by"]);
  }
  if (const YAML::Node window = n["window"]) {
    static const RE2 kWindow(R"(\s*(\d{1,9})\s*([smhd])\s*)");
    int64_t amount = 0;
    std::string unit;
    if (!window.IsScalar() || !RE2::FullMatch(window.Scalar(), kWindow, &amount, &unit) || amount == 0) {
      error(window, fmt::format("bad window '{}': use a positive number and a unit s, m, h or d (e.g. 30d)",
                                window.IsScalar() ? window.Scalar() : ""));
    } else {
      const int64_t unit_ms = unit == "s" ? 1000 : unit == "m" ? 60000 : unit == "h" ? 3600000 : 86400000;
      m.window_ms = amount * unit_ms;
    }
    if (!n["having"]) error(window, "'window' needs 'having' (the condition a window must meet)");
  }
  if (n["having"]) conditions(n["having"], "'having'", true, m.having);
}

std::vector<Record> RuleReader::examples(const YAML::Node& list, std::string_view what) {
  std::vector<Record> out;
  if (!list.IsSequence() || list.size() == 0) {
    error(list, fmt::format("examples.{} must be a non-empty list of records", what));
    return out;
  }
  for (const YAML::Node& item : list) {
    if (!item.IsMap()) {
      error(item, fmt::format("examples.{}: each record is a map of field: value", what));
      continue;
    }
    Record r;
    r.source = {path_, "line", static_cast<uint64_t>(line_of(item)), ""};
    for (auto it = item.begin(); it != item.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (!it->second.IsScalar()) {
        error(it->first, fmt::format("examples.{}: value of '{}' must be a single value", what, key));
        continue;
      }
      const std::string value = it->second.Scalar();
      if (key == "kind") {
        r.kind = value;
      } else if (key == "machine") {
        r.machine = value;
      } else if (key == "time") {
        const std::optional<int64_t> t = parse_iso8601(value);
        if (!t) error(it->second, fmt::format("examples.{}: time '{}' is not ISO 8601", what, value));
        r.time_ms = t.value_or(kNoTime);
      } else {
        r.set(key, value);
      }
    }
    if (r.kind.empty()) error(item, fmt::format("examples.{}: record has no 'kind'", what));
    out.push_back(std::move(r));
  }
  return out;
}

void RuleReader::collect_aggregates(Rule& rule) {
  auto add = [&](const std::string& name) {
    if (parse_aggregate_name(name)) rule.aggregates.push_back(name);
  };
  for (const Condition& c : rule.match.having) {
    add(c.field);
    for (const Operand& o : c.operands)
      if (o.is_ref) add(o.text);
  }
  for (const std::string& name : rule.explain.placeholders()) add(name);
}

std::unique_ptr<Rule> RuleReader::read(const YAML::Node& doc) {
  if (!doc.IsMap()) {
    error(doc, "a rule file must be a map (id, cause, severity, title, match, explain, remediation, examples)");
    return nullptr;
  }
  check_keys(doc, "rule",
             {"id", "cause", "severity", "title", "match", "explain", "evidence", "remediation", "references",
              "explains", "lists", "examples"});
  auto rule = std::make_unique<Rule>();
  rule->file = path_;
  if (auto n = required(doc, "id")) {
    rule->id = scalar(*n, "'id'").value_or("");
    const std::string stem = std::filesystem::path(path_).stem().string();
    if (!rule->id.empty() && rule->id != stem)
      error(*n, fmt::format("id '{}' must equal the file name without .yaml ('{}')", rule->id, stem));
  }
  if (auto n = required(doc, "cause")) {
    rule->cause = scalar(*n, "'cause'").value_or("");
    if (!rule->cause.empty()) check_cause(*n, rule->cause);
  }
  if (auto n = required(doc, "severity")) {
    const std::optional<Severity> s = n->IsScalar() ? parse_severity(n->Scalar()) : std::nullopt;
    if (!s) error(*n, "severity must be one of info, warning, error, critical");
    rule->severity = s.value_or(Severity::info);
  }
  if (auto n = required(doc, "title")) rule->title = scalar(*n, "'title'").value_or("");
  if (auto n = required(doc, "match")) match(*n, *rule);
  if (auto n = required(doc, "explain")) {
    rule->explain = text_template(*n, "'explain'").value_or(TextTemplate{});
    rule->explain_line = line_of(*n);
  }
  if (doc["evidence"]) {
    rule->evidence = text_template(doc["evidence"], "'evidence'").value_or(TextTemplate{});
    rule->evidence_line = line_of(doc["evidence"]);
  }
  if (auto n = required(doc, "remediation")) rule->remediation = scalar_list(*n, "'remediation'", false);
  if (doc["references"]) rule->references = scalar_list(doc["references"], "'references'", false, true);
  if (const YAML::Node explains = doc["explains"]) {
    rule->explains = scalar_list(explains, "'explains'", false, true);
    for (const std::string& cause : rule->explains) {
      check_cause(explains, cause);
      if (cause == rule->cause) error(explains, fmt::format("a rule cannot explain its own cause '{}'", cause));
    }
  }
  if (const YAML::Node lists = doc["lists"]) {
    rule->lists = scalar_list(lists, "'lists'", false, true);
    rule->lists_line = line_of(lists);
  }
  for (const std::string& name : rule->explain.placeholders())
    if (name.rfind("group.", 0) == 0) {
      const std::string field = name.substr(6);
      if (std::find(rule->match.group_by.begin(), rule->match.group_by.end(), field) == rule->match.group_by.end())
        error(doc["explain"], fmt::format("placeholder '{{{}}}' names a field that is not in group_by", name));
    }
  if (auto n = required(doc, "examples")) {
    if (!n->IsMap()) {
      error(*n, "'examples' must be a map with 'positive' and 'negative' lists");
    } else {
      check_keys(*n, "examples", {"positive", "negative"});
      if (auto p = required(*n, "positive")) {
        rule->positive = examples(*p, "positive");
        rule->positive_line = line_of(*p);
      }
      if (auto neg = required(*n, "negative")) {
        rule->negative = examples(*neg, "negative");
        rule->negative_line = line_of(*neg);
      }
    }
  }
  collect_aggregates(*rule);
  if (failed()) return nullptr;
  return rule;
}

}  // namespace

std::optional<CauseCatalog> load_cause_catalog(const std::string& path, std::vector<RuleError>& errors) {
  const std::optional<YAML::Node> doc = load_yaml(path, errors);
  if (!doc) return std::nullopt;
  const size_t before = errors.size();
  const YAML::Node list = doc->IsMap() ? (*doc)["causes"] : YAML::Node();
  if (!list.IsSequence() || list.size() == 0) {
    errors.push_back({path, line_of(*doc), "the cause catalog must be a map with a non-empty 'causes' list"});
    return std::nullopt;
  }
  CauseCatalog catalog;
  for (const YAML::Node& item : list) {
    const YAML::Node id = item.IsMap() ? item["id"] : YAML::Node();
    const YAML::Node description = item.IsMap() ? item["description"] : YAML::Node();
    if (!item.IsMap() || item.size() != 2 || !id.IsScalar() || !description.IsScalar() || id.Scalar().empty() ||
        description.Scalar().empty()) {
      errors.push_back({path, line_of(item), "each cause needs exactly 'id' and 'description'"});
      continue;
    }
    if (!catalog.emplace(id.Scalar(), description.Scalar()).second)
      errors.push_back({path, line_of(id), fmt::format("duplicate cause id '{}'", id.Scalar())});
  }
  if (errors.size() > before) return std::nullopt;
  return catalog;
}

std::unique_ptr<Rule> load_rule_file(const std::string& path, const CauseCatalog* catalog,
                                     std::vector<RuleError>& errors) {
  const std::optional<YAML::Node> doc = load_yaml(path, errors);
  if (!doc) return nullptr;
  try {
    return RuleReader(path, catalog, errors).read(*doc);
  } catch (const YAML::Exception& e) {  // a node shape the checks above did not foresee
    errors.push_back({path, e.mark.is_null() ? 0 : e.mark.line + 1, "invalid rule: " + e.msg});
    return nullptr;
  }
}

}  // namespace kmsdiag
