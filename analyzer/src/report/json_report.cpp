// The JSON report. Its schema is documented field by field in output-format.md; any change to the
// keys below must bump kSchemaVersion there and here.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "model/version.hpp"
#include "report/explanation_tree.hpp"
#include "report/report.hpp"
#include "rules/record_schema.hpp"

namespace kmsdiag {
namespace {

using Json = nlohmann::ordered_json;  // keys in a fixed, documented order

constexpr int kSchemaVersion = 1;

Json time_or_null(int64_t ms) { return ms == kNoTime ? Json(nullptr) : Json(format_time(ms)); }

Json position(const SourceRef& where) {
  Json j = Json::object();
  j["path"] = where.path;
  j["unit"] = where.unit.empty() ? Json(nullptr) : Json(where.unit);
  j["position"] = where.unit.empty() || where.position == 0 ? Json(nullptr) : Json(where.position);
  j["record_id"] = where.record_id.empty() ? Json(nullptr) : Json(where.record_id);
  return j;
}

Json evidence_json(const Evidence& e) {
  Json j = position(e.source);
  j["time"] = time_or_null(e.time_ms);
  j["machine"] = e.machine;
  j["summary"] = e.summary;
  return j;
}

// A fact as its schema type: ints and numbers as JSON numbers, bools as true/false. A value that does not
// parse as its type (or a fact the schema does not type) stays a string, so nothing is lost.
Json fact_json(const RecordSchema* schema, const std::string& name, const std::string& value) {
  const std::optional<ValueType> type = schema ? fact_value_type(*schema, name) : std::nullopt;
  if (!type) return value;
  const FieldSpec spec{name, *type, {}, ""};
  if (value.empty() || !value_has_type(spec, value)) return value;
  switch (*type) {
    case ValueType::integer:
      return std::stoll(value);
    case ValueType::number: {
      const double d = to_number(value).value_or(0);
      if (d == static_cast<double>(static_cast<int64_t>(d)) && std::abs(d) < 9e15) return static_cast<int64_t>(d);
      return d;
    }
    case ValueType::boolean:
      return value == "1";
    default:
      return value;
  }
}

Json finding_json(const Finding& f, bool root_cause) {
  Json j;
  j["rule_id"] = f.rule_id;
  j["rule_ids"] = f.rule_ids.empty() ? std::vector<std::string>{f.rule_id} : f.rule_ids;
  j["cause"] = f.cause;
  j["severity"] = std::string(to_string(f.severity));
  j["root_cause"] = root_cause;
  j["title"] = f.title;
  j["explanation"] = f.explanation;
  j["explained_by"] = f.explained_by;
  j["explains"] = f.explains;
  j["evidence"] = Json::array();
  for (const auto& e : f.evidence) j["evidence"].push_back(evidence_json(e));
  j["evidence_total"] = evidence_total(f);
  j["machines"] = f.machines;
  j["unnamed_machines"] = f.unnamed_machines;
  j["machine_total"] = machine_total(f);
  j["lists"] = Json::object();
  for (const auto& [field, values] : f.lists) j["lists"][field] = values;
  j["remediation"] = f.remediation;
  j["references"] = f.references;
  j["first_time"] = time_or_null(f.first_ms);
  j["last_time"] = time_or_null(f.last_ms);
  j["facts"] = Json::object();
  const std::shared_ptr<const RecordSchema> schema = published_record_schema();
  for (const auto& [key, value] : f.facts) j["facts"][key] = fact_json(schema.get(), key, value);
  return j;
}

Json input_json(const InputSummary& in) {
  Json j;
  j["path"] = in.path;
  j["format"] = in.format.empty() ? Json(nullptr) : Json(in.format);
  j["encoding"] = in.encoding.empty() ? Json(nullptr) : Json(in.encoding);
  j["bytes"] = in.bytes;
  j["sha256"] = in.sha256.str().empty() ? Json(nullptr) : Json(in.sha256.str());
  j["records"] = in.records;
  j["kms_records"] = in.kms_records;
  j["problems"] = Json::array();
  for (const auto& p : in.problems) {
    Json pj = position(p.where);
    pj["message"] = p.message;
    pj["text"] = p.describe();
    j["problems"].push_back(std::move(pj));
  }
  j["problems_not_listed"] = in.problems_not_listed;
  j["skipped"] = in.skipped.empty() ? Json(nullptr) : Json(in.skipped);
  return j;
}

Json summary_json(const Analysis& analysis, const ExplanationTree& tree) {
  Json by_severity;
  for (Severity s : {Severity::critical, Severity::error, Severity::warning, Severity::info})
    by_severity[std::string(to_string(s))] = std::count_if(analysis.findings.begin(), analysis.findings.end(),
                                                           [s](const Finding& f) { return f.severity == s; });
  uint64_t ignored = 0;
  for (const auto& [kind, n] : analysis.ignored_events) ignored += n;

  Json j;
  j["verdict"] = std::string(to_string(tree.verdict.kind));
  j["inputs"] = analysis.inputs.size();
  j["inputs_skipped"] = tree.inputs_skipped;
  j["inputs_with_problems"] = tree.verdict.inputs_with_problems;
  j["records"] = analysis.records_total;
  j["kms_records"] = analysis.kms_records_total;
  j["findings"] = analysis.findings.size();
  j["root_causes"] = tree.root_causes;
  j["by_severity"] = std::move(by_severity);
  j["ignored_events"] = ignored;
  return j;
}

}  // namespace

void render_json(const Analysis& analysis, std::ostream& out) {
  const ExplanationTree tree = explanation_tree(analysis);
  Json findings = Json::array();
  for (const ExplanationNode& node : tree.nodes)
    if (!node.repeat) findings.push_back(finding_json(*node.finding, node.root_cause()));
  Json inputs = Json::array();
  for (const auto& in : analysis.inputs) inputs.push_back(input_json(in));
  Json ignored = Json::object();
  for (const auto& [kind, n] : analysis.ignored_events) ignored[kind] = n;

  Json doc;
  doc["schema_version"] = kSchemaVersion;
  doc["tool"] = {{"name", "kmsdiag"}, {"version", std::string(tool_version())}};
  doc["rules"] = {{"path", analysis.rule_set.path.empty() ? Json(nullptr) : Json(analysis.rule_set.path)},
                  {"sha256", analysis.rule_set.sha256.empty() ? Json(nullptr) : Json(analysis.rule_set.sha256)},
                  {"files", analysis.rule_set.files}};
  doc["exit_code"] = exit_code(analysis);
  doc["live"] = analysis.live;
  doc["summary"] = summary_json(analysis, tree);
  doc["findings"] = std::move(findings);
  doc["inputs"] = std::move(inputs);
  doc["ignored_events"] = std::move(ignored);
  // Names and text from the input that are not UTF-8 must not cost the whole report: replaced, not fatal.
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace kmsdiag
