// Knowledge::load: reads each table under rules/tables/ strictly (see yaml_table.hpp) and checks the
// references between them (error code -> cause id, product -> key group, key group / product -> count line).
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "knowledge/knowledge.hpp"
#include "knowledge/yaml_table.hpp"
#include "model/record.hpp"

namespace kmsdiag {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kFamilies = {"windows-client", "windows-server", "office"};
constexpr size_t kMaxCountLines = 32;  // the host request ledger packs a line index in 5 bits

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::string> text_list(const YamlTable& t, const YAML::Node& node, std::string_view what) {
  t.expect_sequence(node, what);
  std::vector<std::string> out;
  for (const auto& item : node) {
    std::string value = t.text(item);
    if (value.empty()) t.fail(item, fmt::format("empty entry in {}", what));
    if (contains(out, value)) t.fail(item, fmt::format("'{}' listed twice in {}", value, what));
    out.push_back(std::move(value));
  }
  return out;
}

void load_error_codes(const YamlTable& t, Knowledge& kb) {
  t.expect_keys(t.root(), {"causes", "codes"});
  kb.causes = text_list(t, t.root()["causes"], "causes");
  const YAML::Node codes = t.root()["codes"];
  t.expect_sequence(codes, "codes");
  for (const auto& entry : codes) {
    t.expect_keys(entry, {"code", "symbol", "meaning", "cause", "fix", "kms"}, {"source"});
    ErrorInfo info;
    info.code = Knowledge::canonical_code(t.text(entry, "code"));
    if (info.code.empty()) t.fail(entry["code"], fmt::format("'{}' is not an HRESULT", t.text(entry, "code")));
    info.symbol = t.text(entry, "symbol");
    info.meaning = t.text(entry, "meaning");
    info.cause = t.text(entry, "cause");
    info.fix = t.text(entry, "fix");
    info.kms = t.boolean_or(entry, "kms", true);
    info.source = t.text_or(entry, "source", "");
    if (info.meaning.empty()) t.fail(entry["meaning"], "meaning must not be empty");
    if (!info.cause.empty() && !contains(kb.causes, info.cause)) {
      t.fail(entry["cause"], fmt::format("unknown cause '{}' (not in causes)", info.cause));
    }
    if (kb.errors.count(info.code)) t.fail(entry["code"], fmt::format("{} listed twice", info.code));
    kb.errors.emplace(info.code, std::move(info));
  }
}

// count-lines.yaml: {families: {family: line}, unlisted: line, lines: [{id, name, cap, source}]}.
void load_count_lines(const YamlTable& t, Knowledge& kb) {
  t.expect_keys(t.root(), {"families", "unlisted", "lines"});
  const YAML::Node lines = t.root()["lines"];
  t.expect_sequence(lines, "lines");
  for (const auto& entry : lines) {
    t.expect_keys(entry, {"id", "name", "cap", "source"});
    CountLine line;
    line.id = t.text(entry, "id");
    line.name = t.text(entry, "name");
    line.cap = t.integer(entry, "cap");
    line.source = t.text(entry, "source");
    line.order = kb.count_lines.size();
    if (line.id.empty() || line.name.empty()) t.fail(entry, "id and name must not be empty");
    if (line.cap < 1) t.fail(entry["cap"], "cap must be at least 1");
    if (kb.count_lines.count(line.id)) t.fail(entry["id"], fmt::format("count line '{}' listed twice", line.id));
    if (kb.count_lines.size() == kMaxCountLines) {
      t.fail(entry,
             fmt::format("more than {} count lines (the host request ledger packs a line in 5 bits)", kMaxCountLines));
    }
    kb.count_lines.emplace(line.id, std::move(line));
  }
  const auto known = [&](const YAML::Node& node) {
    std::string id = t.text(node);
    if (!kb.count_lines.count(id)) t.fail(node, fmt::format("unknown count line '{}' (not in lines)", id));
    return id;
  };
  const YAML::Node families = t.root()["families"];
  t.expect_map(families, "families");
  for (const auto& kv : families) {
    const std::string family = t.text(kv.first);
    if (!contains(kFamilies, family)) t.fail(kv.first, fmt::format("unknown family '{}'", family));
    kb.family_lines[family] = known(kv.second);
  }
  for (const auto& family : kFamilies)
    if (!kb.family_lines.count(family)) t.fail(families, fmt::format("families: no line for '{}'", family));
  kb.unlisted_line = known(t.root()["unlisted"]);
}

void load_key_groups(const YamlTable& t, Knowledge& kb) {
  t.expect_keys(t.root(), {"lines", "groups"});
  const YAML::Node lines = t.root()["lines"];
  t.expect_map(lines, "lines");
  std::map<std::string, bool> cumulative;
  for (const auto& kv : lines) {
    t.expect_keys(kv.second, {"cumulative"});
    cumulative[t.text(kv.first)] = t.boolean_or(kv.second, "cumulative", true);
  }
  const YAML::Node groups = t.root()["groups"];
  t.expect_sequence(groups, "groups");
  for (const auto& entry : groups) {
    t.expect_keys(entry, {"id", "name", "line", "rank"}, {"servers", "server_rank", "count_line"});
    KeyGroup g;
    g.id = t.text(entry, "id");
    g.name = t.text(entry, "name");
    g.line = t.text(entry, "line");
    g.rank = t.integer(entry, "rank");
    g.servers = t.boolean_or(entry, "servers", true);
    g.server_rank = t.integer_or(entry, "server_rank", g.rank);
    g.count_line = t.text_or(entry, "count_line", "");
    if (!g.count_line.empty() && !kb.count_lines.count(g.count_line))
      t.fail(entry["count_line"], fmt::format("unknown count line '{}' (count-lines.yaml)", g.count_line));
    const auto line = cumulative.find(g.line);
    if (line == cumulative.end()) t.fail(entry["line"], fmt::format("unknown line '{}' (not in lines)", g.line));
    g.cumulative = line->second;
    if (kb.key_groups.count(g.id)) t.fail(entry["id"], fmt::format("key group '{}' listed twice", g.id));
    kb.key_groups.emplace(g.id, std::move(g));
  }
}

void load_products(const YamlTable& t, Knowledge& kb) {
  t.expect_keys(t.root(), {"products"});
  const YAML::Node products = t.root()["products"];
  t.expect_map(products, "products");
  for (const auto& kv : products) {
    const YAML::Node& entry = kv.second;
    t.expect_map(entry, "product");
    ProductInfo p;
    p.act_id = Knowledge::canonical_guid(t.text(kv.first));
    if (p.act_id.empty()) t.fail(kv.first, fmt::format("'{}' is not a GUID", t.text(kv.first)));
    p.kms_host = t.boolean_or(entry, "kms_host", false);
    if (p.kms_host) {
      t.expect_keys(entry, {"name", "family", "kms_host"}, {"count_line"});
    } else {
      t.expect_keys(entry, {"name", "family", "n_policy", "min_key_group"}, {"count_line"});
      p.n_policy = t.integer(entry, "n_policy");
      p.min_key_group = t.text(entry, "min_key_group");
      if (!kb.key_groups.count(p.min_key_group)) {
        t.fail(entry["min_key_group"], fmt::format("unknown key group '{}'", p.min_key_group));
      }
    }
    p.name = t.text(entry, "name");
    p.family = t.text(entry, "family");
    if (!contains(kFamilies, p.family)) t.fail(entry["family"], fmt::format("unknown family '{}'", p.family));
    // The count it counts on: its own, else its key group's, else its family's.
    p.count_line = t.text_or(entry, "count_line", "");
    if (!p.count_line.empty() && !kb.count_lines.count(p.count_line))
      t.fail(entry["count_line"], fmt::format("unknown count line '{}' (count-lines.yaml)", p.count_line));
    if (p.count_line.empty() && !p.min_key_group.empty()) p.count_line = kb.key_groups.at(p.min_key_group).count_line;
    if (p.count_line.empty()) p.count_line = kb.family_lines.at(p.family);
    if (kb.products.count(p.act_id)) t.fail(kv.first, fmt::format("product {} listed twice", p.act_id));
    kb.products.emplace(p.act_id, std::move(p));
  }
}

void load_license_status(const YamlTable& t, Knowledge& kb) {
  t.expect_keys(t.root(), {"statuses"});
  const YAML::Node statuses = t.root()["statuses"];
  t.expect_map(statuses, "statuses");
  for (const auto& kv : statuses) {
    kb.license_status_names[t.text(kv.first)] = t.text(kv.second);
  }
}

void load_event_sources(const YamlTable& t, Knowledge& kb) {
  t.expect_keys(t.root(), {"providers", "kms_channels"});
  kb.event_providers = text_list(t, t.root()["providers"], "providers");
  kb.kms_channels = text_list(t, t.root()["kms_channels"], "kms_channels");
}

// labels-*.yaml: {table, labels: {lang: {text: key}}, values: {lang: {text: value}}}. Several files may
// add to one table; the same text mapped to two different keys is an error.
void load_labels(const YamlTable& t, Knowledge& kb) {
  t.expect_keys(t.root(), {"table", "labels"}, {"values", "description"});
  const std::string table = t.text(t.root(), "table");
  if (table.empty()) t.fail(t.root()["table"], "table must not be empty");
  auto merge = [&](const YAML::Node& by_language, const std::string& into) {
    t.expect_map(by_language, "label set");
    auto& target = kb.label_tables[into];
    for (const auto& lang : by_language) {
      t.expect_map(lang.second, fmt::format("language '{}'", t.text(lang.first)));
      for (const auto& kv : lang.second) {
        const std::string text(trim(t.text(kv.first)));
        const std::string key = t.text(kv.second);
        const auto [it, added] = target.emplace(text, key);
        if (!added && it->second != key) {
          t.fail(kv.first, fmt::format("'{}' already maps to '{}' in table '{}'", text, it->second, into));
        }
      }
    }
  };
  merge(t.root()["labels"], table);
  if (t.root()["values"]) merge(t.root()["values"], table + ".values");
}

// texts-<lang>.yaml: {language, codes: {code: {meaning, fix, source}}, causes: {cause id: description}}.
// Every code must be in error-codes.yaml and every cause in its `causes`, so a translation never dangles.
void load_texts(const YamlTable& t, Knowledge& kb) {
  t.expect_keys(t.root(), {"language", "codes", "causes"});
  const std::string language = t.text(t.root(), "language");
  if (language.empty()) t.fail(t.root()["language"], "language must not be empty");
  if (kb.texts.count(language)) t.fail(t.root()["language"], fmt::format("language '{}' given twice", language));
  LocalizedTexts& texts = kb.texts[language];
  const YAML::Node codes = t.root()["codes"];
  t.expect_map(codes, "codes");
  for (const auto& kv : codes) {
    const std::string code = Knowledge::canonical_code(t.text(kv.first));
    if (!kb.errors.count(code)) t.fail(kv.first, fmt::format("'{}' is not in error-codes.yaml", t.text(kv.first)));
    t.expect_keys(kv.second, {"meaning", "fix", "source"});
    LocalizedError row{t.text(kv.second, "meaning"), t.text(kv.second, "fix"), t.text(kv.second, "source")};
    if (row.meaning.empty() || row.fix.empty() || row.source.empty())
      t.fail(kv.second, "meaning, fix and source must not be empty");
    if (!texts.errors.emplace(code, std::move(row)).second) t.fail(kv.first, fmt::format("{} listed twice", code));
  }
  const YAML::Node causes = t.root()["causes"];
  t.expect_map(causes, "causes");
  for (const auto& kv : causes) {
    const std::string cause = t.text(kv.first);
    if (!contains(kb.causes, cause))
      t.fail(kv.first, fmt::format("unknown cause '{}' (not in error-codes.yaml)", cause));
    const std::string description = t.text(kv.second);
    if (description.empty()) t.fail(kv.second, "description must not be empty");
    texts.causes[cause] = description;
  }
}

// Runs one table reader; yaml-cpp errors the reader did not anticipate still name file and line.
void read_table(const fs::path& path, void (*read)(const YamlTable&, Knowledge&), Knowledge& kb) {
  kb.files.push_back(path.string());
  const YamlTable table(path.string());
  try {
    read(table, kb);
  } catch (const YAML::Exception& e) {
    throw LoadError(fmt::format("{}:{}: {}", path.string(), std::max(e.mark.line, 0) + 1, e.msg));
  }
}

}  // namespace

Knowledge Knowledge::load(const std::string& dir) {
  Knowledge kb;
  auto table = [&](const char* name, void (*read)(const YamlTable&, Knowledge&)) {
    const fs::path path = fs::path(dir) / name;
    if (!fs::exists(path)) throw LoadError(fmt::format("{}:0: required table is missing", path.string()));
    read_table(path, read, kb);
  };
  // Count lines before key groups, key groups before products: each names the one before.
  table("error-codes.yaml", load_error_codes);
  table("count-lines.yaml", load_count_lines);
  table("key-groups.yaml", load_key_groups);
  table("products.yaml", load_products);
  table("license-status.yaml", load_license_status);
  table("event-sources.yaml", load_event_sources);
  table("event-layouts.yaml", load_event_layouts);

  std::vector<fs::path> label_files, text_files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".yaml") continue;
    if (name.rfind("labels-", 0) == 0) label_files.push_back(entry.path());
    if (name.rfind("texts-", 0) == 0) text_files.push_back(entry.path());
  }
  if (ec) throw LoadError(fmt::format("{}:0: {}", dir, ec.message()));
  std::sort(label_files.begin(), label_files.end());  // deterministic conflict reports
  for (const auto& path : label_files) read_table(path, load_labels, kb);
  std::sort(text_files.begin(), text_files.end());
  for (const auto& path : text_files) read_table(path, load_texts, kb);
  return kb;
}

}  // namespace kmsdiag
