// libFuzzer target for the event XML reader: any bytes must be read without crashing, hanging or
// exceeding bounded memory, the reader's counts must match what it delivered, and parsing in ranges on
// two threads must deliver exactly what one thread does. And the quick header scan that stands in for
// pugixml on most events must never read what pugixml rejects, nor read a header pugixml reads otherwise; and
// reading by the shapes it has learned must give what it gives.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "ingest/event_xml_header_scan.hpp"
#include "ingest/event_xml_reader.hpp"

namespace {

// Counts, and a digest of what came in which order (record lines, problem texts).
struct CountingSink final : kmsdiag::RecordSink {
  uint64_t records = 0, problems = 0;
  std::string order;
  void on_record(kmsdiag::Record&& r) override {
    ++records;
    order += "r" + std::to_string(r.source.position) + ",";
  }
  void on_problem(kmsdiag::Problem&& p) override {
    ++problems;
    order += p.message + ",";
  }
};

bool same(const kmsdiag::EventXmlHeader& a, const kmsdiag::EventXmlHeader& b) {
  return a.provider == b.provider && a.channel == b.channel && a.level == b.level && a.record_id == b.record_id &&
         a.computer == b.computer && a.event_id == b.event_id && a.qualifiers == b.qualifiers && a.time_ms == b.time_ms;
}

void check_header_scan(std::string_view text) {
  const std::optional<kmsdiag::EventXmlHeader> scanned = kmsdiag::scan_event_xml_header(text);
  if (!scanned) return;
  std::string copy(text);
  pugi::xml_document doc;
  if (!doc.load_buffer_inplace(copy.data(), copy.size(), pugi::parse_default, pugi::encoding_utf8)) std::abort();
  if (!same(*scanned, kmsdiag::event_xml_header(doc.document_element()))) std::abort();
}

// A scanner that has learned the shapes of earlier events (and of the same event, the second time round) must
// say of each what the scan says.
void check_header_scanner(const std::vector<std::string_view>& events) {
  kmsdiag::EventXmlHeaderScanner scanner;
  const auto keep = [](const kmsdiag::EventXmlHeader& h) { return h.event_id.value_or("") != "12288"; };
  for (int pass = 0; pass < 2; ++pass)
    for (const std::string_view event : events) {
      const std::optional<kmsdiag::EventXmlHeader> a = scanner.scan(event, keep);
      const std::optional<kmsdiag::EventXmlHeader> b = kmsdiag::scan_event_xml_header(event, keep);
      if (a.has_value() != b.has_value() || (a && !same(*a, *b))) std::abort();
    }
}

}  // namespace

// The scan is handed one event at a time: each "<Event" up to the "</Event>" after it, as the reader cuts them.
void check_header_scan_per_event(std::string_view text) {
  std::vector<std::string_view> events = {text};
  for (size_t at = text.find("<Event"); at != std::string_view::npos; at = text.find("<Event", at + 1)) {
    const size_t end = text.find("</Event>", at);
    if (end == std::string_view::npos) break;
    events.push_back(text.substr(at, end + 8 - at));
  }
  for (const std::string_view event : events) check_header_scan(event);
  check_header_scanner(events);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_header_scan_per_event(text);
  (void)kmsdiag::detect_event_xml(text, kmsdiag::Knowledge{});
  // Small blocks and a small event limit put every construct across refills and exercise the
  // oversize path on fuzz-sized inputs.
  // Ranges of 300 bytes put range boundaries next to every construct too.
  for (const kmsdiag::EventXmlOptions options : {kmsdiag::EventXmlOptions{}, kmsdiag::EventXmlOptions{7, 512, 300}}) {
    std::string one_thread;
    for (unsigned threads : {1u, 2u}) {
      kmsdiag::MemorySource source("fuzz.xml", text);
      CountingSink sink;
      kmsdiag::EventXmlReader reader(options);
      reader.use_threads(threads);
      const kmsdiag::ReadStats stats = reader.read(source, sink);
      if (stats.records != sink.records || stats.problems != sink.problems || stats.bytes != size) std::abort();
      if (threads == 1)
        one_thread = std::move(sink.order);
      else if (sink.order != one_thread)
        std::abort();
    }
  }
  return 0;
}
