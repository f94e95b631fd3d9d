#include "rules/record_schema.hpp"

#include <fmt/format.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <set>

#include "model/record.hpp"
#include "rules/aggregator.hpp"

namespace kmsdiag {
namespace {

constexpr std::array<std::pair<ValueType, std::string_view>, 9> kTypeNames{{{ValueType::hresult, "hresult"},
                                                                            {ValueType::guid, "guid"},
                                                                            {ValueType::integer, "int"},
                                                                            {ValueType::number, "number"},
                                                                            {ValueType::boolean, "bool"},
                                                                            {ValueType::time, "time"},
                                                                            {ValueType::enumeration, "enum"},
                                                                            {ValueType::text, "text"},
                                                                            {ValueType::list, "list"}}};

int line_of(const YAML::Node& n) { return n.Mark().is_null() ? 0 : n.Mark().line + 1; }

std::string text_of(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : std::string(); }

class SchemaReader {
 public:
  SchemaReader(std::string path, std::vector<RuleError>& errors)
      : path_(std::move(path)), errors_(errors), first_error_(errors.size()) {}

  std::optional<RecordSchema> read(const YAML::Node& doc);

 private:
  void error(const YAML::Node& at, std::string message) { errors_.push_back({path_, line_of(at), std::move(message)}); }
  std::vector<FieldSpec> field_map(const YAML::Node& map, std::string_view where);
  std::optional<KindSpec> kind(const std::string& name, const YAML::Node& n);

  std::string path_;
  std::vector<RuleError>& errors_;
  size_t first_error_;
  std::map<std::string, std::vector<FieldSpec>> groups_;
  std::set<std::string> kinds_seen_;
};

std::vector<FieldSpec> SchemaReader::field_map(const YAML::Node& map, std::string_view where) {
  std::vector<FieldSpec> out;
  if (!map.IsMap()) {
    error(map, fmt::format("{} must be a map of field: {{type, doc}}", where));
    return out;
  }
  for (auto it = map.begin(); it != map.end(); ++it) {
    FieldSpec f;
    f.name = it->first.Scalar();
    const YAML::Node spec = it->second;
    if (!spec.IsMap()) {
      error(it->first, fmt::format("field '{}' in {} must be a map {{type, doc}}", f.name, where));
      continue;
    }
    for (auto key = spec.begin(); key != spec.end(); ++key)
      if (const std::string k = key->first.Scalar(); k != "type" && k != "doc" && k != "values")
        error(key->first, fmt::format("unknown key '{}' in field '{}' (use type, values, doc)", k, f.name));
    const std::optional<ValueType> type = parse_value_type(text_of(spec["type"]));
    if (!type) {
      error(it->first,
            fmt::format("field '{}' needs a type: hresult, guid, int, number, bool, time, enum, text or list", f.name));
      continue;
    }
    f.type = *type;
    f.doc = text_of(spec["doc"]);
    if (f.doc.empty()) error(it->first, fmt::format("field '{}' needs a one-line 'doc'", f.name));
    if (const YAML::Node values = spec["values"]) {
      if (f.type != ValueType::enumeration || !values.IsSequence() || values.size() == 0)
        error(values, fmt::format("'values' of field '{}' must be a non-empty list, and only on an enum", f.name));
      else
        for (const YAML::Node& v : values) f.values.push_back(text_of(v));
    } else if (f.type == ValueType::enumeration) {
      error(it->first, fmt::format("enum field '{}' needs its 'values'", f.name));
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::optional<KindSpec> SchemaReader::kind(const std::string& name, const YAML::Node& n) {
  if (!kinds_seen_.insert(name).second) error(n, fmt::format("kind '{}' is declared twice", name));
  if (!n.IsMap()) {
    error(n, fmt::format("kind '{}' must be a map (from, machine, per_machine, machine_list, include, fields)", name));
    return std::nullopt;
  }
  KindSpec k;
  k.kind = name;
  k.from = text_of(n["from"]);
  k.machine = text_of(n["machine"]);
  if (const YAML::Node per_machine = n["per_machine"]) {
    const std::string v = text_of(per_machine);
    if (v != "true" && v != "false")
      error(per_machine, fmt::format("'per_machine' of kind '{}' must be true or false", name));
    k.per_machine = v != "false";
  }
  for (auto key = n.begin(); key != n.end(); ++key)
    if (const std::string s = key->first.Scalar();
        s != "from" && s != "machine" && s != "per_machine" && s != "machine_list" && s != "include" && s != "fields")
      error(key->first, fmt::format("unknown key '{}' in kind '{}'", s, name));
  if (n["fields"]) k.fields = field_map(n["fields"], fmt::format("kind '{}'", name));
  // Group fields come after the kind's own, and only where the kind does not declare the name itself.
  if (const YAML::Node include = n["include"]) {
    for (const YAML::Node& g : include) {
      const auto it = groups_.find(text_of(g));
      if (it == groups_.end()) {
        error(g, fmt::format("kind '{}' includes unknown group '{}'", name, text_of(g)));
        continue;
      }
      for (const FieldSpec& f : it->second)
        if (!k.field(f.name)) k.fields.push_back(f);
    }
  }
  if (const YAML::Node list = n["machine_list"]) {
    k.machine_list = text_of(list);
    const FieldSpec* f = k.field(k.machine_list);
    if (f == nullptr || f->type != ValueType::list)
      error(list, fmt::format("'machine_list' of kind '{}' must name one of its list fields", name));
  }
  return k;
}

std::optional<RecordSchema> SchemaReader::read(const YAML::Node& doc) {
  if (!doc.IsMap()) {
    error(doc, "the schema must be a map (header, types, pseudo, groups, sections, footer)");
    return std::nullopt;
  }
  RecordSchema schema;
  schema.header = text_of(doc["header"]);
  schema.footer = text_of(doc["footer"]);
  if (const YAML::Node types = doc["types"]; types.IsMap())
    for (auto it = types.begin(); it != types.end(); ++it) {
      if (!parse_value_type(it->first.Scalar()))
        error(it->first, fmt::format("unknown type '{}' (the types are fixed)", it->first.Scalar()));
      schema.types.emplace_back(it->first.Scalar(), text_of(it->second));
    }
  if (doc["pseudo"]) schema.pseudo = field_map(doc["pseudo"], "'pseudo'");
  if (const YAML::Node groups = doc["groups"]; groups.IsMap())
    for (auto it = groups.begin(); it != groups.end(); ++it)
      groups_[it->first.Scalar()] = field_map(it->second, fmt::format("group '{}'", it->first.Scalar()));
  const YAML::Node sections = doc["sections"];
  if (!sections.IsSequence() || sections.size() == 0) error(doc, "the schema needs a non-empty 'sections' list");
  for (const YAML::Node& s : sections) {
    SchemaSection section;
    section.title = text_of(s["title"]);
    section.intro = text_of(s["intro"]);
    section.outro = text_of(s["outro"]);
    if (section.title.empty()) error(s, "each section needs a 'title'");
    if (const YAML::Node kinds = s["kinds"]; kinds.IsMap())
      for (auto it = kinds.begin(); it != kinds.end(); ++it)
        if (auto k = kind(it->first.Scalar(), it->second)) section.kinds.push_back(std::move(*k));
    schema.sections.push_back(std::move(section));
  }
  if (errors_.size() > first_error_) return std::nullopt;
  return schema;
}

}  // namespace

std::optional<ValueType> parse_value_type(std::string_view name) {
  for (const auto& [type, text] : kTypeNames)
    if (text == name) return type;
  return std::nullopt;
}

std::string_view value_type_name(ValueType type) {
  for (const auto& [t, text] : kTypeNames)
    if (t == type) return text;
  return "text";
}

const FieldSpec* KindSpec::field(std::string_view name) const {
  for (const FieldSpec& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

const KindSpec* RecordSchema::kind(std::string_view name) const {
  for (const SchemaSection& s : sections)
    for (const KindSpec& k : s.kinds)
      if (k.kind == name) return &k;
  return nullptr;
}

const FieldSpec* RecordSchema::pseudo_field(std::string_view name) const {
  for (const FieldSpec& f : pseudo)
    if (f.name == name) return &f;
  return nullptr;
}

const FieldSpec* RecordSchema::field(const KindSpec& kind, std::string_view name) const {
  if (const FieldSpec* f = kind.field(name)) return f;
  return pseudo_field(name);
}

std::optional<RecordSchema> load_record_schema(const std::string& path, std::vector<RuleError>& errors) {
  try {
    return SchemaReader(path, errors).read(YAML::LoadFile(path));
  } catch (const YAML::BadFile&) {
    errors.push_back({path, 0, "cannot read the record schema"});
  } catch (const YAML::Exception& e) {
    errors.push_back({path, e.mark.is_null() ? 0 : e.mark.line + 1, "invalid record schema: " + e.msg});
  }
  return std::nullopt;
}

std::optional<ValueType> fact_value_type(const RecordSchema& schema, std::string_view fact) {
  std::string_view field = fact;
  if (const auto agg = parse_aggregate_name(fact)) {
    if (agg->kind == AggregateKind::count || agg->kind == AggregateKind::distinct) return ValueType::integer;
    if (agg->kind == AggregateKind::sum) return ValueType::number;
    field = fact.substr(fact.find('.') + 1);
  }
  std::optional<ValueType> type;
  const auto agree = [&](const FieldSpec* f) {
    if (f == nullptr) return true;
    if (type && *type != f->type) return false;
    type = f->type;
    return true;
  };
  if (!agree(schema.pseudo_field(field))) return std::nullopt;
  for (const SchemaSection& s : schema.sections)
    for (const KindSpec& k : s.kinds)
      if (!agree(k.field(field))) return std::nullopt;
  return type;
}

namespace {
std::mutex published_mutex;
std::shared_ptr<const RecordSchema> published;
}  // namespace

std::shared_ptr<const RecordSchema> published_record_schema() {
  const std::lock_guard lock(published_mutex);
  return published;
}

void publish_record_schema(std::shared_ptr<const RecordSchema> schema) {
  const std::lock_guard lock(published_mutex);
  published = std::move(schema);
}

bool value_has_type(const FieldSpec& field, std::string_view value) {
  static const RE2 kHresult("0x[0-9A-F]{8}");
  static const RE2 kGuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  static const RE2 kInt("-?[0-9]+");
  const re2::StringPiece v(value.data(), value.size());
  switch (field.type) {
    case ValueType::hresult:
      return RE2::FullMatch(v, kHresult);
    case ValueType::guid:
      return RE2::FullMatch(v, kGuid);
    case ValueType::integer:
      return RE2::FullMatch(v, kInt);
    case ValueType::number:
      return value.rfind("0x", 0) != 0 && to_number(value).has_value();
    case ValueType::boolean:
      return value == "0" || value == "1";
    case ValueType::time:
      return parse_iso8601(value).has_value();
    case ValueType::enumeration: {
      const std::string lower = ascii_lower(trim(value));
      return std::any_of(field.values.begin(), field.values.end(),
                         [&](const std::string& allowed) { return ascii_lower(allowed) == lower; });
    }
    case ValueType::text:
    case ValueType::list:
      return true;
  }
  return true;
}

}  // namespace kmsdiag
