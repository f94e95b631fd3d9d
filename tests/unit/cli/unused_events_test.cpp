// Readers made with the knowledge tables count events that are not about activation without building
// records for them (UnusedEvent), and, once the tables say which facts nothing reads
// (count_only_unread_facts), events about activation of those kinds too. What the analysis reports must not
// change: the interpreter's ignored-events counts, its facts and the problems must be exactly those of
// reading every event in full, and the facts nothing reads must count and date as the built ones did.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "cli/analysis_pipeline.hpp"
#include "ingest/event_xml_reader.hpp"
#include "ingest/evtx_reader.hpp"
#include "interpret/interpreter.hpp"
#include "rules/rule_set.hpp"

namespace kmsdiag {
namespace {

const Knowledge& tables() {
  static const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  return kb;
}

// The tables as `kmsdiag analyze` uses them: the layouts whose facts neither the shipped rules nor
// correlation read are counted only.
const Knowledge& counting_tables() {
  static const Knowledge kb = [] {
    Knowledge k = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
    std::vector<RuleError> errors;
    const RuleSet rules = RuleSet::load(KMSDIAG_SOURCE_DIR "/rules", errors);
    EXPECT_TRUE(errors.empty());
    count_only_unread_facts(k, rules);
    return k;
  }();
  return kb;
}

using Tally = std::map<std::string, std::pair<uint64_t, int64_t>>;  // kind -> (facts, latest time)

struct Interpreting : RecordSink {
  explicit Interpreting(const Knowledge& kb = tables()) : interpreter(kb) {}
  void on_record(Record&& r) override {
    ++records;
    kms += interpreter.interpret(r, facts);
  }
  void on_unused_event(UnusedEvent&& e) override {
    ++unused;
    if (e.counted) {
      ++kms;
      counted.add(e.counted->kind, e.time_ms);
    } else {
      interpreter.count_unused(e.key);
    }
  }
  void on_problem(Problem&& p) override { problems.push_back(p.describe()); }
  // What was counted, not built, by the reader and by the interpreter.
  Tally unread() const {
    Tally out;
    for (const UnreadFacts* u : {&counted, &interpreter.unread()})
      for (const UnreadFacts::Kind& k : u->kinds()) {
        auto& [n, latest] = out.try_emplace(k.kind, 0, kNoTime).first->second;
        n += k.facts;
        latest = std::max(latest, k.latest_ms);
      }
    return out;
  }
  Interpreter interpreter;
  UnreadFacts counted;
  std::vector<Record> facts;
  std::vector<std::string> problems;
  size_t records = 0, unused = 0, kms = 0;
};

// `lean` reads with `kb`: facts of its counted_only layouts are compared as counts and latest times.
void expect_same_analysis(Reader& full, Reader& lean, const std::string& path, const Knowledge& kb = tables()) {
  SCOPED_TRACE(path);
  Interpreting a, b(kb);
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
  EXPECT_EQ(b.kms, a.kms);
  EXPECT_EQ(b.interpreter.ignored(), a.interpreter.ignored());
  EXPECT_EQ(b.problems, a.problems);
  // The full read's facts of the kinds counted only, as counts and latest times; the rest one by one.
  const Tally unread = b.unread();
  std::vector<const Record*> built;
  Tally counted;
  for (const Record& f : a.facts) {
    if (!unread.count(f.kind.str())) {
      built.push_back(&f);
      continue;
    }
    auto& [n, latest] = counted.try_emplace(f.kind.str(), 0, kNoTime).first->second;
    ++n;
    latest = std::max(latest, f.time_ms);
  }
  EXPECT_EQ(unread, counted);
  if (&kb == &counting_tables()) {
    EXPECT_FALSE(unread.empty()) << "no fact was counted only";
    EXPECT_TRUE(b.interpreter.unread().kinds().empty()) << "the reader built records it could have counted";
  }
  ASSERT_EQ(b.facts.size(), built.size());
  for (size_t i = 0; i < built.size(); ++i) {
    EXPECT_EQ(b.facts[i].kind, built[i]->kind);
    EXPECT_EQ(b.facts[i].source.describe(), built[i]->source.describe());
    EXPECT_EQ(b.facts[i].time_ms, built[i]->time_ms);
  }
}

// Read lean with the plain tables (events not about activation counted) and with those kmsdiag analyze
// uses (facts nothing reads counted too).
std::vector<const Knowledge*> lean_tables() { return {&tables(), &counting_tables()}; }

TEST(UnusedEvents, EvtxLogsCountTheSameIgnoredEvents) {
  for (const Knowledge* kb : lean_tables()) {
    EvtxReader full, lean(*kb);
    for (const char* log : {"ec2-client-Application.evtx", "spp-noise-Application.evtx"})
      expect_same_analysis(full, lean, std::string(KMSDIAG_CORPUS_DIR) + "/real/" + log, *kb);
  }
}

TEST(UnusedEvents, EventXmlExportsCountTheSameIgnoredEvents) {
  for (const Knowledge* kb : lean_tables())
    for (unsigned threads : {1u, 2u}) {
      EventXmlReader full, lean({}, kb);
      full.use_threads(threads);
      lean.use_threads(threads);
      for (const char* file :
           {"host-key-mismatch/host/Application.xml", "retail-media-dns-error-8198/clients/PC-MKT-023/Application.xml"})
        expect_same_analysis(full, lean, std::string(KMSDIAG_SOURCE_DIR) + "/samples/" + file, *kb);
    }
}

}  // namespace
}  // namespace kmsdiag
