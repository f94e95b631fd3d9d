// rules/tables/event-layouts.yaml drives the event interpreter: a new event is a table edit, and a broken
// table is a file:line load error, never a crash.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "interpret/interpreter.hpp"
#include "knowledge/knowledge.hpp"

namespace kmsdiag {
namespace {

namespace fs = std::filesystem;

const std::string kTables = std::string(KMSDIAG_SOURCE_DIR) + "/rules/tables";

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Record event(const std::string& id, const std::vector<std::string>& data, const std::string& message = "") {
  Record r;
  r.kind = "event";
  r.source = {"test.xml", "record", 3, "44"};
  r.time_ms = 1684891271229;
  r.machine = "PC1";
  r.set("event_id", id);
  r.set("channel", "Application");
  r.set("provider", "Microsoft-Windows-Security-SPP");
  for (size_t i = 0; i < data.size(); ++i) r.set("data." + std::to_string(i), data[i]);
  if (!message.empty()) r.set("message", message);
  return r;
}

// A scratch copy of the shipped tables whose event-layouts.yaml a test rewrites or extends.
class EventLayoutTables : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(KMSDIAG_BINARY_DIR) / "event-layouts-test" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const auto& entry : fs::directory_iterator(kTables)) {
      if (entry.path().extension() == ".yaml") fs::copy_file(entry.path(), dir_ / entry.path().filename());
    }
    shipped_ = read_file(dir_ / "event-layouts.yaml");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write_layouts(const std::string& text) { std::ofstream(dir_ / "event-layouts.yaml") << text; }
  // The load error, "" when the tables load; any other exception fails the test.
  std::string load_error() {
    try {
      Knowledge::load(dir_.string());
    } catch (const LoadError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
  std::string shipped_;
};

// An illustrative layout, not a documented Windows event: the point is that nothing but the table changes.
const char* kNewLayout = R"(
  - id: 12321
    kind: activation.attempt
    payload: data
    message:
      0: {after: "Error:"}
    fields:
      - {name: via, value: token}
      - {name: hresult, at: 0, type: hresult, required: malformed}
      - {name: act_id, at: 1, type: product}
      - {name: activated, value: "0"}
)";

TEST_F(EventLayoutTables, NewEventIsATableEdit) {
  const Record from_data = event("12321", {"0xC004F074", "2DE67392-B7A7-462A-B1CA-108DD189F588"});
  {
    const Knowledge kb = Knowledge::load(dir_.string());
    Interpreter interpreter(kb);
    std::vector<Record> out;
    EXPECT_FALSE(interpreter.interpret(from_data, out));
    EXPECT_EQ(interpreter.ignored().at("Application 12321"), 1u);
  }
  write_layouts(shipped_ + kNewLayout);
  const Knowledge kb = Knowledge::load(dir_.string());
  Interpreter interpreter(kb);
  std::vector<Record> out;
  ASSERT_TRUE(interpreter.interpret(from_data, out));
  ASSERT_EQ(out.size(), 1u);
  const Record& f = out[0];
  EXPECT_EQ(f.kind, "activation.attempt");
  EXPECT_EQ(f.machine, "PC1");
  EXPECT_EQ(f.source.record_id, "44");
  EXPECT_EQ(f.get("via"), "token");
  EXPECT_EQ(f.get("hresult"), "0xC004F074");
  EXPECT_EQ(f.get("hresult_cause"), "host-unreachable");
  EXPECT_EQ(f.get("act_id"), "2de67392-b7a7-462a-b1ca-108dd189f588");
  EXPECT_EQ(f.get("product"), "Windows 10/11 Pro");
  EXPECT_EQ(f.get("activated"), "0");

  // The message fallback and the malformed count come with the layout too.
  ASSERT_TRUE(interpreter.interpret(event("12321", {}, "Token activation failed.\nError: 0x8007232B\n"), out));
  EXPECT_EQ(out.back().get("hresult"), "0x8007232B");
  EXPECT_EQ(out.back().get("act_id"), "");
  EXPECT_FALSE(interpreter.interpret(event("12321", {"no code"}), out));
  EXPECT_EQ(interpreter.ignored().at("malformed 12321"), 1u);
  EXPECT_EQ(interpreter.take_problems().size(), 1u);
}

TEST_F(EventLayoutTables, BrokenLayoutsNameFileAndLine) {
  const std::string file = (dir_ / "event-layouts.yaml").string();
  const std::string head = "events:\n  - id: 1\n    kind: k\n    payload: data\n    fields:\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {head + "      - {name: a, at: 0, type: number}\n", ":6: unknown type 'number'"},
      {head + "      - {name: a}\n", ":6: a field has exactly one of at, value"},
      {head + "      - {name: a, at: 0, value: x}\n", ":6: a field has exactly one of at, value"},
      {head + "      - {name: a, value: x, key: K}\n", ":6: key needs at"},
      {head + "      - {name: product, at: 0, type: product}\n", ":6: a field of this type must be named 'act_id'"},
      {head + "      - {name: a, at: 64}\n", ":6: position '64' must be a number below 64"},
      {head + "      - {name: a, at: -1}\n", ":6: position '-1'"},
      {head + "      - {name: a, value: x, required: malformed}\n", ":6: a constant cannot be required"},
      {head + "      - {name: a, at: 0, required: always}\n", ":6: unknown requirement 'always'"},
      {head + "      - {name: hresult, value: none, type: hresult}\n", ":6: 'none' is not an HRESULT"},
      {head + "      - {name: a, at: 0}\n      - {name: a, at: 1}\n", ":7: field 'a' listed twice"},
      {head + "      - {name: a, at: 0, values: [x]}\n", ":6: values must be a mapping"},
      {head + "      - {name: a, at: 0, colour: red}\n", ":6: unknown key 'colour'"},
      {head + "      - [1, 2]\n", ":6: entry must be a mapping"},
      {head + "      - {name: a, at: 0}\n  - id: 1\n    kind: k\n    payload: data\n    fields: []\n",
       ":7: event id listed twice"},
      {"events:\n  - id: 70000\n    kind: k\n    payload: data\n    fields: []\n", ":2: id must be an event id"},
      {"events:\n  - id: [1]\n    kind: k\n    payload: data\n    fields: []\n", ":2: expected a single value"},
      {"events:\n  - id: 1\n    kind: k\n    payload: xml\n    fields: []\n", ":4: unknown payload 'xml'"},
      {"events:\n  - id: 1\n    kind: k\n    payload: kms-list\n    fields: []\n", ":2: payload kms-list takes"},
      {"events:\n  - id: 1\n    kind: k\n    payload: data\n    min_fields: 3\n    fields: []\n",
       ":5: min_fields is for payload kms-list"},
      {"events:\n  - id: 1\n    kind: k\n    payload: data\n    message:\n      0: {after: x, line: y}\n"
       "    fields: []\n",
       ":6: a message locator has exactly one of"},
      {"events:\n  - id: 1\n    kind: k\n    payload: data\n    message:\n      zero: {line: y}\n    fields: []\n",
       ":6: position 'zero'"},
      {"events:\n  - id: 1\n    kind: ''\n    payload: data\n    fields: x\n", ":2: kind must not be empty"},
      {"events:\n  - id: 1\n    kind: k\n    payload: data\n    fields: x\n", ":5: fields must be a list"},
      {"events: {}\n", ":1: events must be a list"},
      {"- just a list\n", ":1: expected a mapping at the top level"},
      {"events:\n  - id: 1\n    kind: [k\n", "event-layouts.yaml:"},
  };
  for (const auto& [text, expected] : cases) {
    write_layouts(text);
    const std::string error = load_error();
    EXPECT_EQ(error.rfind(file, 0), 0u) << text << "\n-> " << error;
    EXPECT_NE(error.find(expected), std::string::npos) << text << "\n-> " << error;
  }
}

// The shipped table cut short in the middle of every line (an editor's half-written file) loads or
// fails with a LoadError.
TEST_F(EventLayoutTables, TruncatedTablesNeverCrash) {
  for (size_t eol = shipped_.find('\n'), bol = 0; eol != std::string::npos;
       bol = eol + 1, eol = shipped_.find('\n', bol)) {
    const size_t cut = bol + (eol - bol) / 2;
    write_layouts(shipped_.substr(0, cut));
    EXPECT_NO_THROW(load_error()) << "cut at " << cut;
  }
}

// Odd but valid layouts (positions past any payload, keys on list fields, unlisted values) read hostile
// events without a crash: each record yields a fact or is counted, exactly once.
TEST_F(EventLayoutTables, OddLayoutsReadGarbageSafely) {
  write_layouts(
      "events:\n"
      "  - id: 1\n    kind: odd.list\n    payload: kms-list\n    min_fields: 1\n    fields:\n"
      "      - {name: hresult, at: 0, type: hresult, required: malformed}\n"
      "      - {name: far, at: 63, type: iso_time}\n"
      "      - {name: kms_host, at: 1, key: Host, type: host_port}\n"
      "      - {name: license_status, at: 2, type: license_status, values: {x: '1'}}\n"
      "  - id: 2\n    kind: odd.data\n    payload: data\n    message:\n      40: {quoted: q}\n      3: {from: z}\n"
      "    fields:\n"
      "      - {name: when, at: 40, type: spp_date, required: ignore}\n"
      "      - {name: status, at: 3, key: S, type: status}\n"
      "      - {name: hresult, at: 0, type: error_code}\n");
  const Knowledge kb = Knowledge::load(dir_.string());
  Interpreter interpreter(kb);
  std::vector<Record> out;
  size_t seen = 0, used = 0;
  const std::vector<std::vector<std::string>> payloads = {
      {}, {""}, {"0x0"}, {"0x0,a=b;Host=[::1]:1688,x"}, {std::string(10000, ';')}, {"\xff", "S=0x1", "", "S=1"}};
  for (const char* id : {"1", "2"}) {
    for (const auto& data : payloads) {
      for (const char* message : {"", "Info: 0x0,,,", "z 'q' z\nq `2023/11/20:01:21:13`"}) {
        EXPECT_NO_THROW(used += interpreter.interpret(event(id, data, message), out));
        ++seen;
      }
    }
  }
  uint64_t counted = 0;
  for (const auto& [key, n] : interpreter.ignored()) counted += n;
  EXPECT_EQ(counted + used, seen);
  EXPECT_GT(used, 0u);
}

// A layout whose facts nothing reads is counted and dated, not decoded, but only where decoding could not
// have changed that: a KMS list may be malformed, a required field may make the event another variant.
TEST(CountedOnlyLayouts, OnlyUnreadLayoutsThatAcceptAnyPayload) {
  Knowledge kb = Knowledge::load(kTables);
  kb.event_layouts.count_only_unread([](const EventLayout&) { return false; });  // nothing reads anything
  for (const char* id : {"900", "902", "903", "16384"}) EXPECT_TRUE(kb.event_layouts.find(id)->counted_only) << id;
  for (const char* id : {"12288", "12289", "12290"}) EXPECT_FALSE(kb.event_layouts.find(id)->counted_only) << id;
  EXPECT_FALSE(kb.event_layouts.find("8230")->counted_only);  // required: ignore (other 8230 variants)
  EXPECT_FALSE(kb.event_layouts.find("8198")->counted_only);  // required: malformed

  kb.event_layouts.count_only_unread([](const EventLayout& l) { return l.kind == "spp.service"; });
  EXPECT_FALSE(kb.event_layouts.find("902")->counted_only);
  EXPECT_TRUE(kb.event_layouts.find("16384")->counted_only);
}

TEST(CountedOnlyLayouts, InterpreterCountsAndDatesWithoutAFact) {
  Knowledge kb = Knowledge::load(kTables);
  kb.event_layouts.count_only_unread([](const EventLayout& l) { return l.kind != "spp.service"; });
  Interpreter interpreter(kb);
  std::vector<Record> out;
  Record started = event("902", {"10.0.22621.2428"}), stopped = event("903", {});
  stopped.time_ms = started.time_ms + 5000;
  EXPECT_TRUE(interpreter.interpret(stopped, out));  // about activation: a KMS record, counted as such
  EXPECT_TRUE(interpreter.interpret(started, out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(interpreter.ignored().empty());
  ASSERT_EQ(interpreter.unread().kinds().size(), 1u);
  const UnreadFacts::Kind& k = interpreter.unread().kinds()[0];
  EXPECT_EQ(k.kind, "spp.service");
  EXPECT_EQ(k.facts, 2u);
  EXPECT_EQ(k.latest_ms, stopped.time_ms);
  // Layouts something reads are decoded as ever.
  ASSERT_TRUE(interpreter.interpret(event("16384", {"2018-03-06T15:17:47Z", "RulesEngine"}), out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].get("restart_time"), "2018-03-06T15:17:47Z");
}

}  // namespace
}  // namespace kmsdiag
