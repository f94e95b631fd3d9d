// Event XML parsed in event-aligned ranges on several threads (event_xml_ranges.hpp) must give exactly
// what one thread gives: the same records, unused events and problems, in the same order, with the
// same record numbers and lines, wherever the range boundaries fall.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/event_xml_ranges.hpp"
#include "ingest/event_xml_reader.hpp"
#include "ingest/event_xml_record.hpp"
#include "model/record.hpp"

namespace kmsdiag {
namespace {

constexpr const char* kNs = "http://schemas.microsoft.com/win/2004/08/events/event";

const Knowledge& tables() {
  static const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  return kb;
}

// Everything a reader delivers, one line each, in order.
struct Transcript : RecordSink {
  std::vector<std::string> lines;
  size_t records = 0, unused = 0, problems = 0;
  void on_record(Record&& r) override {
    ++records;
    std::string line = "record " + r.source.describe() + " t=" + std::to_string(r.time_ms) + " m=" + r.machine;
    for (const auto& [k, v] : r.fields) line += " " + std::string(k) + "=" + std::string(v);
    lines.push_back(std::move(line));
  }
  void on_unused_event(UnusedEvent&& e) override {
    ++unused;
    lines.push_back("unused " + e.key + " " + e.source.describe() + " t=" + std::to_string(e.time_ms));
  }
  void on_problem(Problem&& p) override {
    ++problems;
    lines.push_back("problem " + p.describe());
  }
};

Transcript read(const std::string& text, unsigned threads, EventXmlOptions options) {
  MemorySource src("in.xml", text);
  Transcript out;
  EventXmlReader reader(options, &tables());
  reader.use_threads(threads);
  const ReadStats stats = reader.read(src, out);
  EXPECT_EQ(stats.records, out.records + out.unused);
  EXPECT_EQ(stats.problems, out.problems);
  EXPECT_EQ(stats.bytes, text.size());
  return out;
}

std::string event(std::string_view provider, int id, int record_id, std::string_view payload) {
  return std::string("<Event xmlns='") + kNs + "'><System><Provider Name='" + std::string(provider) +
         "'/><EventID Qualifiers='16384'>" + std::to_string(id) +
         "</EventID><Level>4</Level><TimeCreated SystemTime='2024-03-01T08:00:09.5Z'/><EventRecordID>" +
         std::to_string(record_id) + "</EventRecordID><Channel>Application</Channel><Computer>pc" +
         std::to_string(record_id % 7) + ".corp.example</Computer></System>" + std::string(payload) + "</Event>";
}

std::string kms_request(int record_id) {
  return event("Microsoft-Windows-Security-SPP", 12288, record_id,
               "<EventData><Data>0x0, 0x0, kms.corp.example:1688, 3b6a0e8e-5c1d-4d5e-9a1f-1c2d3e4f5a6b, "
               "2024/3/1 8:00, 0, 5, 0, 55c92734-d682-4d71-983e-d6ec3f16059f, 25</Data></EventData>");
}

std::string noise(int record_id) {
  return event("Application Error", 1000, record_id,
               "<EventData><Data>app.exe</Data><Data>10.0.1</Data><Data Name='Module'>ntdll.dll</Data></EventData>");
}

std::string nested(int depth) {
  std::string s;
  for (int d = 0; d < depth; ++d) s += "<a>";
  s += "leaf";
  for (int d = 0; d < depth; ++d) s += "</a>";
  return s;
}

// A log of `n` events where every few events something is wrong or tricky, so that with small ranges
// every kind of trouble sits at, before and after a range boundary somewhere.
std::string tricky_log(int n) {
  std::string xml = "<?xml version='1.0' encoding='utf-8'?>\n<Events>\n";
  for (int i = 1; i <= n; ++i) {
    switch (i % 11) {
      case 0:  // not well formed
        xml += event("Microsoft-Windows-Security-SPP", 12288, i, "<EventData><Data>x</Dta></EventData>");
        break;
      case 1:  // cut short by the next event
        xml += kms_request(i).substr(0, 200);
        break;
      case 2:  // "<Event" inside CDATA and a comment: text, not a new event
        xml += event("Application Error", 1001, i,
                     "<EventData><Data><![CDATA[ <Event> </Event> ]]></Data><!-- <Event xmlns='x'> --></EventData>");
        break;
      case 3:  // unrecognized bytes between events
        xml += "not xml at all\n";
        xml += noise(i);
        break;
      case 4:  // a comment between events that names an event
        xml += "<!-- <Event><System/></Event> -->\n";
        xml += kms_request(i);
        break;
      case 5:  // deeper than any provider schema: a problem, and not counted at all
        xml += event("Application Error", 1002, i, "<UserData>" + nested(70) + "</UserData>");
        break;
      case 6:  // bigger than the event limit below
        xml +=
            event("Application Error", 1000, i, "<EventData><Data>" + std::string(9000, 'y') + "</Data></EventData>");
        break;
      default:
        xml += i % 2 ? noise(i) : kms_request(i);
    }
    xml += i % 3 ? "\n" : "\n\n";
  }
  xml += "</Events>\n";
  return xml;
}

// Stretches where few events are about activation, where ranges grow kSparseRangeFactor times longer, between
// dense ones where they shrink back, with the trouble of tricky_log inside both.
std::string mixed_density_log() {
  std::string xml;
  int id = 0;
  for (int stretch = 0; stretch < 8; ++stretch) {
    const std::string tricky = tricky_log(40);
    xml += tricky.substr(tricky.find("<Event "), tricky.rfind("</Events>") - tricky.find("<Event "));
    for (int i = 0; i < 120; ++i, ++id) xml += (stretch % 2 == 0 || i % 2 ? noise(id) : kms_request(id)) + "\n";
  }
  return xml;
}

TEST(EventXmlRanges, SameTranscriptOnAnyNumberOfThreadsWhereverRangesEnd) {
  for (const std::string& xml : {tricky_log(400), mixed_density_log()}) {
    // The block size decides where the scanner first sees an event outgrow the limit, so each block size
    // is compared with itself on one thread.
    for (size_t block : {size_t{61}, size_t{4096}}) {
      const Transcript one = read(xml, 1, {block, 8192, 1 << 20});
      ASSERT_GT(one.records, 100u);
      ASSERT_GT(one.unused, 100u);
      ASSERT_GT(one.problems, 100u);
      for (unsigned threads : {2u, 3u}) {
        for (size_t range : {size_t{1}, size_t{700}, size_t{5000}, size_t{64} << 10}) {
          SCOPED_TRACE("threads " + std::to_string(threads) + ", range " + std::to_string(range) + ", block " +
                       std::to_string(block));
          const Transcript many = read(xml, threads, {block, 8192, range});
          ASSERT_EQ(many.lines.size(), one.lines.size());
          for (size_t i = 0; i < one.lines.size(); ++i) ASSERT_EQ(many.lines[i], one.lines[i]) << i;
        }
      }
    }
  }
}

// Events so small that a range of them would list more than kMaxRangeItems end their ranges by count: the same
// transcript, problems between them included.
TEST(EventXmlRanges, TinyEventsEndRangesByCountAlike) {
  std::string xml;
  for (int i = 0; i < 3 * static_cast<int>(EventXmlRanges::kMaxRangeItems); ++i)
    xml += i % 1000 == 999 ? "junk\n" : std::string("<Event xmlns='") + kNs + "'/>\n";
  const Transcript one = read(xml, 1, {4096, 8192, 1 << 20});
  ASSERT_GT(one.unused, 2 * EventXmlRanges::kMaxRangeItems);
  ASSERT_GT(one.problems, 5u);
  const Transcript many = read(xml, 2, {4096, 8192, 1 << 20});
  EXPECT_EQ(many.lines, one.lines);
}

// Damaged events keep their own record number and line, whichever range parsed them.
TEST(EventXmlRanges, ProblemsNameTheirRecordAndLine) {
  const std::string xml = tricky_log(40);
  const Transcript t = read(xml, 2, {61, 8192, 700});
  auto has = [&](std::string_view text) {
    for (const auto& l : t.lines)
      if (l == text) return true;
    return false;
  };
  // Line 1 the declaration, 2 <Events>, then event i on its own line, every third followed by a blank
  // line, case 3's garbage and case 4's comment on lines of their own.
  EXPECT_TRUE(
      has("problem in.xml:3: record 1 (line 3): truncated event XML: a new event starts at line 4 before </Event>"));
  EXPECT_TRUE(has("unused Application 1001 in.xml:4 (EventRecordID 2) t=1709280009500"));  // CDATA, comment
  EXPECT_TRUE(has("problem in.xml:5: line 5: skipped 11 non-blank bytes that are not Windows event XML"));
  EXPECT_TRUE(has("problem in.xml:10: record 5 (line 10): UserData nested deeper than 64 elements; event skipped"));
  EXPECT_TRUE(has("problem in.xml:11: record 6 (line 11): event larger than 8192 bytes, skipped"));
  EXPECT_TRUE(has("problem in.xml:18: record 11 (line 18): malformed event XML: Start-end tags mismatch"));
  EXPECT_TRUE(
      has("problem in.xml:36: record 23 (line 36): truncated event XML: a new event starts at line 37 "
          "before </Event>"));
}

// An event not about activation is walked for payload problems only when it has tags enough for one (issue
// 10: most are not walked at all). The fewest that make one: no System, UserData nested just past the limit.
TEST(EventXmlRanges, UnusedEventWithJustEnoughTagsForAPayloadProblemIsStillChecked) {
  auto bare = [](int depth) {
    return std::string("<Event xmlns='") + kNs + "'><UserData>" + nested(depth) + "</UserData></Event>\n";
  };
  const Transcript deep = read(bare(kMaxUserDataDepth + 1), 1, {});
  ASSERT_EQ(deep.lines.size(), 1u);
  EXPECT_EQ(deep.lines[0],
            "problem in.xml:1: record 1 (line 1): UserData nested deeper than 64 elements; event skipped");
  const Transcript at_limit = read(bare(kMaxUserDataDepth), 1, {});
  ASSERT_EQ(at_limit.lines.size(), 1u);
  EXPECT_EQ(at_limit.lines[0].rfind("unused ", 0), 0u) << at_limit.lines[0];
}

// A KMS host's log is all about activation, and after a run of such events the quick header scan rests
// (event_xml_parser.hpp): the events after the run are read by pugixml, then by the scan again. Either way an
// event not about activation is counted alike, and a damaged one is reported alike.
TEST(EventXmlRanges, EventsAfterARunAboutActivationAreReadAlike) {
  std::string xml;
  for (int i = 1; i <= 20; ++i) xml += kms_request(i) + "\n";
  for (int i = 21; i <= 200; ++i)
    xml +=
        (i == 25 || i == 150 ? event("Application Error", 1000, i, "<EventData><Data>x</Dta></EventData>") : noise(i)) +
        "\n";
  const Transcript t = read(xml, 1, {});
  EXPECT_EQ(t.records, 20u);
  EXPECT_EQ(t.unused, 178u);
  ASSERT_EQ(t.lines.size(), 200u);
  for (int i = 21; i <= 200; ++i) {
    const std::string& line = t.lines[static_cast<size_t>(i - 1)];
    if (i == 25 || i == 150)
      EXPECT_EQ(line, "problem in.xml:" + std::to_string(i) + ": record " + std::to_string(i) + " (line " +
                          std::to_string(i) + "): malformed event XML: Start-end tags mismatch");
    else
      EXPECT_EQ(line, "unused Application 1000 in.xml:" + std::to_string(i) + " (EventRecordID " + std::to_string(i) +
                          ") t=1709280009500");
  }
}

// A reader made without the knowledge tables (tests, the EVTX cross-check) still builds every event.
TEST(EventXmlRanges, WithoutTablesEveryEventIsARecord) {
  std::string xml;
  for (int i = 1; i <= 50; ++i) xml += noise(i);
  MemorySource src("in.xml", xml);
  Transcript out;
  EventXmlReader reader({61, 8192, 500});
  reader.use_threads(2);
  reader.read(src, out);
  EXPECT_EQ(out.records, 50u);
  EXPECT_EQ(out.unused, 0u);
}

}  // namespace
}  // namespace kmsdiag
