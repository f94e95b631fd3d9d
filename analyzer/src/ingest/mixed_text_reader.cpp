#include "ingest/mixed_text_reader.hpp"

#include "ingest/line_reader.hpp"
#include "model/record.hpp"

namespace kmsdiag {
namespace {

class MixedTextReader final : public Reader {
 public:
  explicit MixedTextReader(std::vector<std::unique_ptr<LineParser>> parsers) : parsers_(std::move(parsers)) {}

  ReadStats read(ByteSource& in, RecordSink& sink) override {
    for (auto& p : parsers_) p->begin(in.path(), sink);
    LineParser* current = parsers_.front().get();
    LineReader lines(in, current->max_line());
    std::string line;
    bool after_blank = true;
    while (lines.next(line)) {
      for (auto& p : parsers_) {
        if (p.get() != current && p->opens_part(line, after_blank)) {
          current->end_part();
          current = p.get();
          break;
        }
      }
      if (lines.truncated()) current->problem(lines.line_number(), lines.truncation_message());
      current->line(line, lines.line_number());
      after_blank = trim(line).empty();
    }
    current->end_part();
    ReadStats total;
    for (const auto& p : parsers_) {
      const ReadStats s = p->stats();
      total.records += s.records;
      total.problems += s.problems;
    }
    total.bytes = lines.bytes();
    return total;
  }

 private:
  std::vector<std::unique_ptr<LineParser>> parsers_;  // the detected format's first
};

}  // namespace

std::unique_ptr<Reader> make_mixed_text_reader(const Knowledge& kb, std::string_view first) {
  struct Mixable {
    std::string_view format;
    std::unique_ptr<LineParser> (*make)(const Knowledge&);
  };
  static constexpr Mixable kMixable[] = {{"slmgr-text", make_slmgr_parser}, {"pasted-event", make_pasted_event_parser}};
  std::vector<std::unique_ptr<LineParser>> parsers;
  for (const auto& m : kMixable)
    if (m.format == first) parsers.push_back(m.make(kb));
  for (const auto& m : kMixable)
    if (m.format != first) parsers.push_back(m.make(kb));
  return std::make_unique<MixedTextReader>(std::move(parsers));
}

}  // namespace kmsdiag
