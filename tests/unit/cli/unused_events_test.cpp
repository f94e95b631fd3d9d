// Readers made with the knowledge tables count events that are not about activation without building
// records for them (UnusedEvent). What the analysis reports must not change: the interpreter's
// ignored-events counts, its facts and the problems must be exactly those of reading every event in full.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "ingest/event_xml_reader.hpp"
#include "ingest/evtx_reader.hpp"
#include "interpret/interpreter.hpp"

namespace kmsdiag {
namespace {

const Knowledge& tables() {
  static const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  return kb;
}

struct Interpreting : RecordSink {
  Interpreting() : interpreter(tables()) {}
  void on_record(Record&& r) override {
    ++records;
    interpreter.interpret(r, facts);
  }
  void on_unused_event(UnusedEvent&& e) override {
    ++unused;
    interpreter.count_unused(e.key);
  }
  void on_problem(Problem&& p) override { problems.push_back(p.describe()); }
  Interpreter interpreter;
  std::vector<Record> facts;
  std::vector<std::string> problems;
  size_t records = 0, unused = 0;
};

void expect_same_analysis(Reader& full, Reader& lean, const std::string& path) {
  SCOPED_TRACE(path);
  Interpreting a, b;
  {
    FileSource in(path);
    full.read(in, a);
  }
  {
    FileSource in(path);
    lean.read(in, b);
  }
  EXPECT_EQ(a.unused, 0u);
  EXPECT_GT(b.unused, 0u);  // the fast path was taken
  EXPECT_EQ(b.records + b.unused, a.records);
  EXPECT_EQ(b.interpreter.ignored(), a.interpreter.ignored());
  EXPECT_EQ(b.problems, a.problems);
  ASSERT_EQ(b.facts.size(), a.facts.size());
  for (size_t i = 0; i < a.facts.size(); ++i) {
    EXPECT_EQ(b.facts[i].kind, a.facts[i].kind);
    EXPECT_EQ(b.facts[i].source.describe(), a.facts[i].source.describe());
    EXPECT_EQ(b.facts[i].time_ms, a.facts[i].time_ms);
  }
}

TEST(UnusedEvents, EvtxLogsCountTheSameIgnoredEvents) {
  EvtxReader full, lean(tables());
  for (const char* log : {"ec2-client-Application.evtx", "spp-noise-Application.evtx"})
    expect_same_analysis(full, lean, std::string(KMSDIAG_CORPUS_DIR) + "/real/" + log);
}

TEST(UnusedEvents, EventXmlExportsCountTheSameIgnoredEvents) {
  for (unsigned threads : {1u, 2u}) {
    EventXmlReader full, lean({}, &tables());
    full.use_threads(threads);
    lean.use_threads(threads);
    for (const char* file :
         {"host-key-mismatch/host/Application.xml", "retail-media-dns-error-8198/clients/PC-MKT-023/Application.xml"})
      expect_same_analysis(full, lean, std::string(KMSDIAG_SOURCE_DIR) + "/samples/" + file);
  }
}

}  // namespace
}  // namespace kmsdiag
