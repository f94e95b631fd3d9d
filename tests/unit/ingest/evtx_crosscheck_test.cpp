// Cross-checks the EVTX reader against independent readers: libevtx's `evtxexport -f xml` and
// python-evtx's `evtx_dump.py`. Their XML goes through the project's event XML reader, so both sides
// yield Records that must agree field by field. Skipped when a tool is not installed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "evtx_test_support.hpp"
#include "ingest/event_xml_reader.hpp"
#include "ingest/evtx_reader.hpp"

namespace kmsdiag {
namespace {

using evtx_test::corpus;
using evtx_test::fixture;

bool have(const std::string& tool) { return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0; }

// Runs `command path > tmp` and reads tmp as event XML.
std::vector<Record> via_tool(const std::string& command, const std::string& path) {
  const auto out =
      std::filesystem::temp_directory_path() / ("kmsdiag_evtx_" + std::filesystem::path(path).stem().string() + "_" +
                                                std::to_string(std::hash<std::string>{}(command)) + ".xml");
  const std::string cmd = command + " '" + path + "' > '" + out.string() + "' 2>/dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  EventXmlReader reader;
  auto sink = evtx_test::read_all(reader, out.string());
  std::filesystem::remove(out);
  EXPECT_TRUE(sink.problems.empty()) << sink.problems.front().describe();
  return std::move(sink.records);
}

// The only problem a sound file may have: it was copied while in use (its header says so).
std::vector<Record> via_kmsdiag(const std::string& path) {
  EvtxReader reader;
  auto sink = evtx_test::read_all(reader, path);
  for (const auto& p : sink.problems)
    EXPECT_TRUE(p.message.find("file header is marked dirty") != std::string::npos ||
                p.message.find("past the chunk's free-space offset") != std::string::npos)
        << p.describe();
  return std::move(sink.records);
}

// ISO times compare without trailing fraction zeros: libfwevt prints 9 fraction digits, Windows
// (and this reader) 7.
std::string normalized(std::string_view value) {
  if (value.size() < 21 || value.back() != 'Z' || value[10] != 'T' || value.find('.') == std::string::npos)
    return std::string(value);
  std::string v(value.substr(0, value.size() - 1));
  while (v.back() == '0') v.pop_back();
  if (v.back() == '.') v.pop_back();
  return v + "Z";
}

// Every field but "format" (and "message", which neither tool renders) must be equal.
void expect_same(const std::vector<Record>& ours, const std::vector<Record>& theirs, const std::string& what) {
  ASSERT_EQ(ours.size(), theirs.size()) << what;
  size_t differing = 0;
  for (size_t i = 0; i < ours.size() && differing < 5; ++i) {
    const Record& a = ours[i];
    const Record& b = theirs[i];
    bool same = a.machine == b.machine && a.time_ms == b.time_ms && a.fields.size() == b.fields.size();
    for (const auto& f : a.fields) {
      if (f.key == "format") continue;
      const std::optional<std::string_view> other = b.find(f.key);
      if (!other || normalized(*other) != normalized(f.value)) {
        ADD_FAILURE() << what << " record " << i + 1 << " field " << f.key << ": ours '" << f.value << "' theirs '"
                      << (other ? *other : std::string_view("<absent>")) << "'";
        same = false;
      }
    }
    if (!same) {
      ++differing;
      ADD_FAILURE() << what << " record " << i + 1 << " differs (machine/time/field count)";
    }
  }
}

TEST(EvtxCrosscheck, RealFilesMatchEvtxexport) {
  if (!have("evtxexport")) GTEST_SKIP() << "evtxexport (libevtx-utils) not installed";
  for (const char* name :
       {"ec2-client-Application.evtx", "spp-noise-Application.evtx", "empty-KeyManagementService.evtx"}) {
    const std::string path = corpus(name);
    expect_same(via_kmsdiag(path), via_tool("evtxexport -f xml", path), name);
  }
}

TEST(EvtxCrosscheck, GeneratedFilesMatchEvtxexport) {
  if (!have("evtxexport")) GTEST_SKIP() << "evtxexport (libevtx-utils) not installed";
  for (const char* name : {"client", "host", "empty"}) {
    expect_same(via_kmsdiag(fixture(name)), via_tool("evtxexport -f xml", fixture(name)), name);
  }
}

// A log copied while in use: evtxexport reads the records past the stale free-space offset with
// -m all ("recovered" items); kmsdiag reads them always.
TEST(EvtxCrosscheck, DirtyLogMatchesEvtxexportWithRecoveredRecords) {
  if (!have("evtxexport")) GTEST_SKIP() << "evtxexport (libevtx-utils) not installed";
  const auto ours = via_kmsdiag(fixture("dirty"));
  EXPECT_EQ(ours.size(), 600u);
  expect_same(ours, via_tool("evtxexport -m all -f xml", fixture("dirty")), "dirty");
}

TEST(EvtxCrosscheck, GeneratedFilesMatchPythonEvtx) {
  if (!std::filesystem::exists("/usr/bin/evtx_dump.py")) GTEST_SKIP() << "python3-evtx not installed";
  for (const char* name : {"client", "host"}) {
    expect_same(via_kmsdiag(fixture(name)), via_tool("/usr/bin/evtx_dump.py", fixture(name)), name);
  }
}

}  // namespace
}  // namespace kmsdiag
