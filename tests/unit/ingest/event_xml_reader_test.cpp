#include "ingest/event_xml_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ingest/event_xml_record.hpp"
#include "ingest/ingest_driver.hpp"

namespace kmsdiag {
namespace {

constexpr const char* kNs = "http://schemas.microsoft.com/win/2004/08/events/event";

struct Collected : RecordSink {
  std::vector<Record> records;
  std::vector<Problem> problems;
  void on_record(Record&& r) override { records.push_back(std::move(r)); }
  void on_problem(Problem&& p) override { problems.push_back(std::move(p)); }
};

Collected read_with(std::string_view text, EventXmlOptions options) {
  MemorySource src("in.xml", text);
  Collected out;
  const ReadStats stats = EventXmlReader(options).read(src, out);
  EXPECT_EQ(stats.records, out.records.size());
  EXPECT_EQ(stats.problems, out.problems.size());
  EXPECT_EQ(stats.bytes, text.size());
  return out;
}

// Reads `text` with several block sizes (so every construct gets split across refills somewhere)
// and checks they all agree; returns the default-options result.
Collected read_all(std::string_view text) {
  Collected whole = read_with(text, {});
  for (size_t block : {1, 2, 3, 7, 61, 4096}) {
    SCOPED_TRACE("block size " + std::to_string(block));
    Collected small = read_with(text, {block, size_t{4} << 20});
    EXPECT_EQ(small.records.size(), whole.records.size());
    EXPECT_EQ(small.problems.size(), whole.problems.size());
    for (size_t i = 0; i < std::min(small.records.size(), whole.records.size()); ++i) {
      EXPECT_EQ(small.records[i].source.position, whole.records[i].source.position);
      EXPECT_EQ(small.records[i].fields.size(), whole.records[i].fields.size());
      EXPECT_EQ(small.records[i].get("data.0"), whole.records[i].get("data.0"));
    }
    for (size_t i = 0; i < std::min(small.problems.size(), whole.problems.size()); ++i) {
      EXPECT_EQ(small.problems[i].message, whole.problems[i].message);
    }
  }
  return whole;
}

std::string event(int id, int record_id, std::string_view data = "<Data>x</Data>", std::string_view quote = "\"") {
  std::string q(quote);
  return "<Event xmlns=" + q + kNs + q + "><System><Provider Name=" + q + "Microsoft-Windows-Security-SPP" + q +
         " Guid=" + q + "{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}" + q + " EventSourceName=" + q +
         "Software Protection Platform Service" + q + "/><EventID Qualifiers=" + q + "16384" + q + ">" +
         std::to_string(id) + "</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Keywords>" +
         "0x80000000000000</Keywords><TimeCreated SystemTime=" + q + "2023-05-24T01:21:53.1234567Z" + q +
         "/><EventRecordID>" + std::to_string(record_id) + "</EventRecordID><Correlation/><Channel>Application" +
         "</Channel><Computer>client1.corp.example</Computer><Security/></System><EventData>" + std::string(data) +
         "</EventData></Event>";
}

TEST(EventXmlReader, WevtutilStreamWithoutNewlinesOrRoot) {
  const std::string text =
      event(12288, 10,
            "<Data>0x00000000, 0x00000000, kms1.corp.example:1688, d02f0758-43f9-4809-9821-e84edb810cbe, "
            "2023/05/24 01:21, 1, 5, 0, ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03, 25</Data>") +
      event(12289, 11, "<Data>0x0</Data><Data>1</Data><Data>50</Data>") + "\r\n";
  const Collected out = read_all(text);
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_TRUE(out.problems.empty());
  const Record& r = out.records[0];
  EXPECT_EQ(r.kind, "event");
  EXPECT_EQ(r.get("event_id"), "12288");
  EXPECT_EQ(r.get("qualifiers"), "16384");
  EXPECT_EQ(r.get("provider"), "Microsoft-Windows-Security-SPP");
  EXPECT_EQ(r.get("channel"), "Application");
  EXPECT_EQ(r.get("record_id"), "10");
  EXPECT_EQ(r.get("level"), "4");
  EXPECT_EQ(r.get("data_count"), "1");
  EXPECT_EQ(r.get("format"), "event-xml");
  EXPECT_TRUE(r.get("data.0").starts_with("0x00000000, 0x00000000, kms1.corp.example:1688"));
  EXPECT_FALSE(r.has("message"));
  EXPECT_EQ(r.machine, "client1.corp.example");
  EXPECT_EQ(format_time(r.time_ms), "2023-05-24T01:21:53.123Z");
  EXPECT_EQ(r.source.path, "in.xml");
  EXPECT_EQ(r.source.unit, "line");
  EXPECT_EQ(r.source.position, 1u);
  EXPECT_EQ(r.source.record_id, "10");
  EXPECT_EQ(out.records[1].get("data_count"), "3");
  EXPECT_EQ(out.records[1].get("data.2"), "50");
  EXPECT_EQ(out.records[1].source.position, 1u);
}

TEST(EventXmlReader, SaveAsXmlRootSingleQuotesAndLineNumbers) {
  const std::string text =
      "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\r\n<!-- saved -->\r\n<Events>" +
      event(902, 1, "<Data>6.3.9600.16384</Data>", "'") + "\r\n" + event(903, 2, "<Data/>", "'") + "\r\n</Events>\r\n";
  const Collected out = read_all(text);
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_TRUE(out.problems.empty());
  EXPECT_EQ(out.records[0].get("event_id"), "902");
  EXPECT_EQ(out.records[0].get("data.0"), "6.3.9600.16384");
  EXPECT_EQ(out.records[0].source.position, 3u);
  EXPECT_EQ(out.records[1].source.position, 4u);
  EXPECT_EQ(out.records[1].get("data_count"), "1");
  EXPECT_EQ(out.records[1].get("data.0"), "");
}

TEST(EventXmlReader, NamespacePrefixesRenderingInfoAndNamedData) {
  const std::string text = std::string("<ev:Events xmlns:ev='") + kNs + "'>\n<ev:Event xmlns:ev='" + kNs +
                           "'>\n <ev:System><ev:Provider Name='Microsoft-Windows-Security-SPP'/>"
                           "<ev:EventID>8198</ev:EventID><ev:Level>2</ev:Level><ev:EventRecordID>77</ev:EventRecordID>"
                           "<ev:Channel>Application</ev:Channel><ev:Computer>pc7</ev:Computer></ev:System>\n"
                           " <ev:EventData><ev:Data Name='hResult'>hr=0xC004F074</ev:Data>"
                           "<ev:Data Name='AppId'>55c92734-d682-4d71-983e-d6ec3f16059f</ev:Data></ev:EventData>\n"
                           " <ev:RenderingInfo Culture='en-US'><ev:Message>License Activation (slui.exe) failed with "
                           "the following error code:&#13;\nhr=0xC004F074 &amp; more</ev:Message>"
                           "<ev:Level>Error</ev:Level></ev:RenderingInfo>\n</ev:Event >\n</ev:Events>";
  const Collected out = read_all(text);
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_TRUE(out.problems.empty());
  const Record& r = out.records[0];
  EXPECT_EQ(r.get("event_id"), "8198");
  EXPECT_FALSE(r.has("qualifiers"));
  EXPECT_EQ(r.get("level"), "2");
  EXPECT_EQ(r.get("data.0"), "hr=0xC004F074");
  EXPECT_EQ(r.get("data.hResult"), "hr=0xC004F074");
  EXPECT_EQ(r.get("data.1"), "55c92734-d682-4d71-983e-d6ec3f16059f");
  EXPECT_EQ(r.get("data.AppId"), "55c92734-d682-4d71-983e-d6ec3f16059f");
  EXPECT_EQ(r.get("data_count"), "2");
  EXPECT_EQ(r.get("message"),
            "License Activation (slui.exe) failed with the following error code:\r\nhr=0xC004F074 & more");
  EXPECT_EQ(r.machine, "pc7");
  EXPECT_EQ(r.time_ms, kNoTime);
  EXPECT_EQ(r.source.position, 2u);
}

TEST(EventXmlReader, UserDataLeavesAreFlattenedByNameAndPosition) {
  const std::string text = std::string("<Event xmlns='") + kNs +
                           "'><System><EventID>1000</EventID></System><UserData><EventXML xmlns='LoadPerf'>"
                           "<param1>WmiApRpl</param1><Inner><param2>x</param2></Inner><param1>again</param1>"
                           "</EventXML></UserData></Event>";
  const Collected out = read_all(text);
  ASSERT_EQ(out.records.size(), 1u);
  const Record& r = out.records[0];
  EXPECT_EQ(r.get("data_count"), "3");
  EXPECT_EQ(r.get("data.0"), "WmiApRpl");
  EXPECT_EQ(r.get("data.param1"), "WmiApRpl");  // the first of a repeated name
  EXPECT_EQ(r.get("data.1"), "x");
  EXPECT_EQ(r.get("data.param2"), "x");
  EXPECT_EQ(r.get("data.2"), "again");
}

TEST(EventXmlReader, FullThirtyTwoBitEventIdSplitsIntoQualifiers) {
  const std::string text =
      std::string("<Event xmlns='") + kNs + "'><System><EventID>1073754112</EventID></System></Event>";
  const Collected out = read_all(text);
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].get("event_id"), "12288");
  EXPECT_EQ(out.records[0].get("qualifiers"), "16384");
}

TEST(EventXmlReader, MalformedEventInTheMiddleIsOneProblem) {
  std::string bad = event(12289, 2);
  bad.replace(bad.find("<Level>4</Level>"), 16, "<Level>4</Levl>");
  const std::string text = event(12288, 1) + "\n" + bad + "\n" + event(902, 3) + "\n";
  const Collected out = read_all(text);
  ASSERT_EQ(out.records.size(), 2u);
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.records[1].get("record_id"), "3");
  EXPECT_EQ(out.records[1].source.position, 3u);
  EXPECT_EQ(out.problems[0].where.position, 2u);
  EXPECT_EQ(out.problems[0].where.path, "in.xml");
  EXPECT_TRUE(out.problems[0].message.starts_with("record 2 (line 2): malformed event XML: "))
      << out.problems[0].message;
}

TEST(EventXmlReader, TruncatedAtEndOfInputNamesTheLine) {
  const std::string full = event(12288, 1) + "\n" + event(12289, 2);
  const Collected out = read_all(full.substr(0, full.size() - 40));
  ASSERT_EQ(out.records.size(), 1u);
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].where.position, 2u);
  EXPECT_EQ(out.problems[0].message, "record 2 (line 2): truncated event XML: the input ends before </Event>");
}

TEST(EventXmlReader, EventCutShortByTheNextOneIsReportedAndTheNextIsRead) {
  const std::string first = event(12288, 1);
  const std::string text = first.substr(0, 300) + "\n\n" + event(12289, 2) + event(902, 3);
  const Collected out = read_all(text);
  ASSERT_EQ(out.records.size(), 2u);
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].message,
            "record 1 (line 1): truncated event XML: a new event starts at line 3 before </Event>");
  EXPECT_EQ(out.records[0].source.position, 3u);
}

TEST(EventXmlReader, GarbageBetweenEventsIsOneProblemPerRun) {
  std::string binary;
  for (int i = 0; i < 5000; ++i) binary.push_back(static_cast<char>((i * 37) % 256));
  binary.push_back('\n');
  const std::string text = event(1, 1) + binary + event(2, 2) + "\nplain text <junk/> here\n" + event(3, 3);
  const Collected out = read_all(text);
  EXPECT_EQ(out.records.size(), 3u);
  ASSERT_EQ(out.problems.size(), 2u);
  EXPECT_EQ(out.problems[0].where.position, 1u);
  EXPECT_TRUE(out.problems[0].message.starts_with("lines 1-20: skipped ")) << out.problems[0].message;
  EXPECT_EQ(out.problems[1].message, "line 22: skipped 20 non-blank bytes that are not Windows event XML");
}

TEST(EventXmlReader, OversizedEventIsSkippedWithinBoundedMemory) {
  const std::string big = event(12288, 1, "<Data>" + std::string(5000, 'a') + "</Data>");
  const std::string text = big + "\n" + event(12289, 2) + "\n" + big;
  for (size_t block : {1, 16, 1000}) {
    const Collected out = read_with(text, {block, 2000});
    ASSERT_EQ(out.records.size(), 1u);
    EXPECT_EQ(out.records[0].get("record_id"), "2");
    ASSERT_EQ(out.problems.size(), 2u);
    EXPECT_EQ(out.problems[0].message, "record 1 (line 1): event larger than 2000 bytes, skipped");
    EXPECT_EQ(out.problems[1].where.position, 3u);
  }
}

// An event whose UserData is `user_data` instead of EventData.
std::string user_data_event(int record_id, const std::string& user_data) {
  std::string e = event(12290, record_id, "");
  const std::string empty = "<EventData></EventData>";
  return e.replace(e.find(empty), empty.size(), "<UserData>" + user_data + "</UserData>");
}

// Nesting is walked without recursion: 100,000 levels (700 KB) cost a problem line, not the stack.
TEST(EventXmlReader, DeepUserDataIsReportedAndTheNextEventRead) {
  const size_t deep = 100000;
  std::string nested;
  for (size_t i = 0; i < deep; ++i) nested += "<n>";
  nested += "leaf";
  for (size_t i = 0; i < deep; ++i) nested += "</n>";
  const std::string text = user_data_event(1, nested) + "\n" + event(12290, 2, "<Data>after</Data>");
  const Collected out = read_with(text, {});
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].get("data.0"), "after");
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].describe(),
            "in.xml:1: record 1 (line 1): UserData nested deeper than 64 elements; event skipped");
  // Up to the limit the leaves are the event's data, at any depth.
  std::string at_limit;
  for (size_t i = 1; i < kMaxUserDataDepth; ++i) at_limit += "<n>";
  at_limit += "<leaf>v</leaf>";
  for (size_t i = 1; i < kMaxUserDataDepth; ++i) at_limit += "</n>";
  const Collected ok = read_with(user_data_event(3, "<a>1</a>" + at_limit + "<b>2</b>"), {});
  ASSERT_EQ(ok.records.size(), 1u);
  EXPECT_TRUE(ok.problems.empty());
  EXPECT_EQ(ok.records[0].get("data.0"), "1");
  EXPECT_EQ(ok.records[0].get("data.leaf"), "v");
  EXPECT_EQ(ok.records[0].get("data.2"), "2");
}

// An event with more Data items than any real one keeps the first kMaxDataItems and says so.
TEST(EventXmlReader, HugePayloadIsCappedWithAProblem) {
  std::string items;
  for (size_t i = 0; i < kMaxDataItems + 500; ++i)
    items += "<Data Name=\"D" + std::to_string(i % 700) + "\">" + std::to_string(i) + "</Data>";
  const Collected out = read_with(event(12290, 7, items), {});
  ASSERT_EQ(out.records.size(), 1u);
  const Record& r = out.records[0];
  EXPECT_EQ(r.get("data_count"), std::to_string(kMaxDataItems));
  EXPECT_EQ(r.get("data." + std::to_string(kMaxDataItems - 1)), std::to_string(kMaxDataItems - 1));
  EXPECT_FALSE(r.has("data." + std::to_string(kMaxDataItems)));
  EXPECT_EQ(r.get("data.D5"), "5");  // a repeated name keeps its first value
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].message, "record 1 (line 1): " + too_many_data_items(kMaxDataItems + 500));
}

TEST(EventXmlReader, EmptyInputsGiveNothing) {
  EXPECT_TRUE(read_all("").records.empty());
  EXPECT_TRUE(read_all("").problems.empty());
  const Collected preamble = read_all("evtxexport 20181227\n\nNo records to export.\n");
  EXPECT_TRUE(preamble.records.empty());
  EXPECT_TRUE(preamble.problems.empty());
  EXPECT_TRUE(read_all("<?xml version='1.0'?><Events></Events>").problems.empty());
}

TEST(EventXmlReader, DetectsEventXmlShapesOnly) {
  const Knowledge kb;
  EXPECT_GE(detect_event_xml(event(1, 1), kb), 90);
  EXPECT_GE(detect_event_xml("<?xml version=\"1.0\"?>\n<!-- c -->\n<Events>", kb), 80);
  EXPECT_GE(detect_event_xml(std::string("<e:Event xmlns:e='") + kNs + "'>", kb), 90);
  EXPECT_GE(detect_event_xml("evtxexport 20181227\n\n" + event(1, 1), kb), 90);
  EXPECT_GT(detect_event_xml("evtxexport 20181227\n\nNo records to export.\n", kb), 0);
  EXPECT_EQ(detect_event_xml("<EventData><Data>1</Data></EventData>", kb), 0);
  EXPECT_EQ(detect_event_xml("<?xml version='1.0'?><Objs Version='1.1.0.1'/>", kb), 0);
  EXPECT_EQ(detect_event_xml("Level,Date and Time,Source,Event ID,Task Category\n", kb), 0);
  EXPECT_EQ(detect_event_xml("Name: Windows(R), ServerStandard edition\n<Event>", kb), 0);
  EXPECT_EQ(detect_event_xml("", kb), 0);
}

// The real EVTX corpus exported by libevtx's evtxexport: every record must come through the
// registry and driver exactly once, with no problem.
class EvtxexportCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v evtxexport >/dev/null 2>&1") != 0) GTEST_SKIP() << "evtxexport not installed";
    dir_ = std::filesystem::temp_directory_path() / ("kmsdiag-xml-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  std::string export_xml(const std::string& evtx) {
    const std::string out = (dir_ / (evtx + ".xml")).string();
    const std::string cmd =
        "evtxexport -f xml '" + std::string(KMSDIAG_CORPUS_DIR) + "/real/" + evtx + "' > '" + out + "' 2>/dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return out;
  }
  struct Counting : IngestSink {
    std::vector<Record> kms;
    uint64_t records = 0, problems = 0;
    void on_record(Record&& r) override {
      ++records;
      if (r.get("event_id") == "12288" || r.get("event_id") == "12289") kms.push_back(std::move(r));
    }
    void on_problem(Problem&&) override { ++problems; }
  };
  static const Knowledge& tables() {
    static const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
    return kb;
  }
  std::filesystem::path dir_;
};

TEST_F(EvtxexportCorpus, Ec2ClientApplicationLog) {
  const std::string path = export_xml("ec2-client-Application.evtx");
  Counting sink;
  const auto inputs = ingest_paths({path}, tables(), sink);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].format, "event-xml");
  EXPECT_EQ(inputs[0].records, 807u);
  EXPECT_TRUE(inputs[0].problems.empty());
  EXPECT_EQ(sink.problems, 0u);
  ASSERT_EQ(sink.kms.size(), 4u);
  const Record& request = sink.kms[0];
  EXPECT_EQ(request.get("event_id"), "12288");
  EXPECT_EQ(request.get("provider"), "Microsoft-Windows-Security-SPP");
  EXPECT_EQ(request.get("channel"), "Application");
  EXPECT_TRUE(
      request.get("data.0").starts_with("0x00000000, 0x00000000, 169.254.169.251:1688, "
                                        "d02f0758-43f9-4809-9821-e84edb810cbe"))
      << request.get("data.0");
  EXPECT_NE(request.time_ms, kNoTime);
  EXPECT_FALSE(request.machine.empty());
  EXPECT_FALSE(request.source.record_id.empty());
}

TEST_F(EvtxexportCorpus, SppNoiseApplicationLog) {
  Counting sink;
  const auto inputs = ingest_paths({export_xml("spp-noise-Application.evtx")}, tables(), sink);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].format, "event-xml");
  EXPECT_EQ(inputs[0].records, 2445u);
  EXPECT_EQ(sink.problems, 0u);
  EXPECT_TRUE(sink.kms.empty());
}

TEST_F(EvtxexportCorpus, EmptyKeyManagementServiceLog) {
  Counting sink;
  const auto inputs = ingest_paths({export_xml("empty-KeyManagementService.evtx")}, tables(), sink);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].format, "event-xml");
  EXPECT_EQ(inputs[0].records, 0u);
  EXPECT_TRUE(inputs[0].skipped.empty());
  EXPECT_EQ(sink.problems, 0u);
}

}  // namespace
}  // namespace kmsdiag
