#include "rules/schema_markdown.hpp"

#include <fmt/format.h>

namespace kmsdiag {
namespace {

// A block of prose from the schema, followed by exactly one blank line.
void paragraph(std::string& out, std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  if (text.empty()) return;
  out += text;
  out += "\n\n";
}

std::string type_cell(const FieldSpec& f) {
  if (f.type != ValueType::enumeration) return std::string(value_type_name(f.type));
  std::string cell = "enum:";
  for (const std::string& v : f.values) cell += fmt::format(" `{}`", v);
  return cell;
}

void field_table(std::string& out, const std::vector<FieldSpec>& fields) {
  out += "| field | type | meaning |\n|---|---|---|\n";
  for (const FieldSpec& f : fields) out += fmt::format("| `{}` | {} | {} |\n", f.name, type_cell(f), f.doc);
  out += "\n";
}

}  // namespace

std::string records_markdown(const RecordSchema& schema) {
  std::string out;
  paragraph(out, schema.header);
  out += "## Types\n\n| type | values |\n|---|---|\n";
  for (const auto& [name, meaning] : schema.types) out += fmt::format("| `{}` | {} |\n", name, meaning);
  out += "\n";
  paragraph(out,
            "An ordered comparison (`lt` `le` `gt` `ge`) needs an `int`, `number`, `bool` or `time` field; `min.F`, "
            "`max.F` and `sum.F` need an `int`, `number` or `bool` field. `eq` `ne` `in` `not_in` literals must suit "
            "the field: an `hresult` field compares with codes (`0xC004F074`; `0x19` also matches `0x00000019`), an "
            "`enum` field with its listed values, an `int`/`number` field with numbers, a `bool` field with `1`/`0`. "
            "`regex`, `not_regex` and `exists` work on any type (they see the value as text). Example records are "
            "checked the same way: every field declared, every non-empty value of its type.");
  out += "## Fields every record has\n\n";
  field_table(out, schema.pseudo);
  for (const SchemaSection& s : schema.sections) {
    out += fmt::format("## {}\n\n", s.title);
    paragraph(out, s.intro);
    for (const KindSpec& k : s.kinds) {
      out += fmt::format("### `{}`\n\n", k.kind);
      paragraph(out, fmt::format(
                         "From: {}. Machine: {}{}.", k.from, k.machine,
                         k.per_machine
                             ? ""
                             : " (`per_machine: false`: never about one machine, so findings do not count it as one)"));
      field_table(out, k.fields);
    }
    paragraph(out, s.outro);
  }
  paragraph(out, schema.footer);
  while (out.size() > 1 && out[out.size() - 2] == '\n') out.pop_back();  // one final newline
  return out;
}

}  // namespace kmsdiag
