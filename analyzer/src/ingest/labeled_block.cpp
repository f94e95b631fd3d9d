#include "ingest/labeled_block.hpp"

#include "ingest/labeled_text.hpp"

namespace kmsdiag {

void BlockRecord::start(std::string kind, const std::string& path, uint64_t line, std::string_view format) {
  record_ = Record{};
  record_.kind = std::move(kind);
  record_.source = SourceRef{path, "line", line, ""};
  record_.set("format", std::string(format));
  open_ = true;
}

bool BlockRecord::set(std::string_view key, std::string_view value) {
  if (!record_.has(key) && record_.fields.size() >= kMaxFields) return false;
  record_.set(key, std::string(value.substr(0, kMaxValue)));
  return true;
}

void BlockRecord::append(std::string_view key, std::string_view more, std::string_view sep) {
  const std::optional<std::string_view> current = record_.find(key);
  if (!current) return;
  std::string joined(*current);
  if (joined.size() >= kMaxValue) return;
  if (!joined.empty()) joined += sep;
  joined += more;
  if (joined.size() > kMaxValue) joined.resize(kMaxValue);
  record_.set(key, std::move(joined));
}

bool BlockRecord::emit(RecordSink& sink) {
  if (!open_) return false;
  open_ = false;
  sink.on_record(std::move(record_));
  record_ = Record{};
  return true;
}

bool filled_console_width(std::string_view line) {
  // One column short of the width too: a wide (CJK) character that did not fit moved to the next row.
  const size_t columns = display_columns(line);
  return columns == 79 || columns == 80 || columns == 119 || columns == 120;
}

}  // namespace kmsdiag
