#include "ingest/ospp_reader.hpp"

#include <set>

#include "ingest/labeled_block.hpp"
#include "ingest/labeled_text.hpp"
#include "ingest/line_reader.hpp"

namespace kmsdiag {
namespace {

constexpr std::string_view kFormat = "ospp-text";
constexpr size_t kMaxLine = 64 * 1024;
// Fields whose text has a canonical value in the table ("---LICENSED---" -> "1", "Enabled" -> "1").
constexpr std::string_view kEnumerated[] = {"license_status", "host_caching", "activation_type"};

bool is_rule_line(std::string_view line) { return trim(line).starts_with("---"); }

class OsppReader final : public Reader {
 public:
  explicit OsppReader(const Knowledge& kb) : labels_(kb, "ospp") {}

  ReadStats read(ByteSource& in, RecordSink& sink) override {
    ReadStats stats;
    const std::string path = in.path();
    LineReader lines(in, kMaxLine);
    BlockRecord block;
    std::string command = "dstatus";
    std::string wrap_key;  // field a console-wrapped line continues
    auto finish = [&] {
      if (block.open()) {
        block.set("command", command);
        if (block.emit(sink)) ++stats.records;
        command = "dstatus";  // /act announces each product it activates again
      }
      wrap_key.clear();
    };
    std::string line;
    while (lines.next(line)) {
      const uint64_t no = lines.line_number();
      lines.report_if_truncated(sink, stats);
      // "---Processing---", "---Exiting---" and the plain dashed rules all close a product block.
      if (is_rule_line(line)) {
        finish();
        continue;
      }
      const auto m = labels_.match(line);
      if (!m) {
        if (!wrap_key.empty() && block.open()) block.append(wrap_key, strip_trailing_blanks(line), "");
        wrap_key = !wrap_key.empty() && filled_console_width(line) ? wrap_key : std::string();
        continue;
      }
      wrap_key.clear();
      if (m->key == "ignore") continue;
      if (m->key == "command") {
        command = m->value;
        continue;
      }
      if (!block.open()) block.start("cmd.ospp", path, no, kFormat);
      std::string value = m->value;
      for (auto k : kEnumerated) {
        if (k == m->key && !m->fixed) {
          if (m->key == "license_status") block.set("license_status_text", value);
          if (auto v = labels_.value(value)) value = *v;
        }
      }
      if (m->key == "error_code") value = find_hresult(value).empty() ? value : find_hresult(value);
      if (!block.set(m->key, value)) {
        ++stats.problems;
        sink.on_problem(Problem{{path, "line", no, ""}, "block has more fields than kmsdiag keeps"});
      }
      if (!m->fixed && filled_console_width(line)) wrap_key = m->key;
    }
    finish();
    stats.bytes = lines.bytes();
    return stats;
  }

 private:
  LabelMatcher labels_;
};

int detect_ospp(std::string_view head, const Knowledge& kb) {
  const LabelMatcher labels(kb, "ospp");
  if (labels.empty()) return 0;
  std::set<std::string> keys;
  bool rules = false;
  for (auto line : head_lines(head)) {
    if (is_rule_line(line)) rules = true;
    if (const auto m = labels.match(line)) keys.insert(m->key);
  }
  const bool product = keys.count("name") && (keys.count("license_status") || keys.count("partial_key"));
  if (product && rules) return 90;
  if (product || (keys.count("cmid") && rules)) return 60;
  return 0;
}

}  // namespace

FormatInfo ospp_text_format() {
  return FormatInfo{"ospp-text", detect_ospp, [](const Knowledge& kb) { return std::make_unique<OsppReader>(kb); },
                    true};
}

}  // namespace kmsdiag
