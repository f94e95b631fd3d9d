// Issue 10 item 3: a record dated at the edge of int64 (a damaged .NET "/Date(…)/" value) once overflowed
// the 30-day count window and the 12288/12289 pairing gap. Every time now enters the pipeline in one place,
// where anything outside 1990..2199 is read as undated with a problem naming the file and the record.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "cli/analysis_pipeline.hpp"

namespace kmsdiag {
namespace {

namespace fs = std::filesystem;

// One event as `Get-WinEvent | ConvertTo-Json` writes it (one field a line: the reader's line numbers).
std::string json_event(int id, const std::string& log, const std::string& machine, const std::string& date,
                       const std::string& payload) {
  return "  {\n    \"Id\": " + std::to_string(id) +
         ",\n    \"ProviderName\": \"Microsoft-Windows-Security-SPP\",\n    \"LogName\": \"" + log +
         "\",\n    \"MachineName\": \"" + machine + "\",\n    \"TimeCreated\": \"\\/Date(" + date +
         ")\\/\",\n    \"Properties\": [ { \"Value\": \"" + payload + "\" } ]\n  }";
}

constexpr const char* kCmid1 = "39a59521-0b47-45da-8654-57e8f91291c3";
constexpr const char* kCmid2 = "39a59521-0b47-45da-8654-57e8f91291c4";
constexpr const char* kWindows = "73111121-5638-40f6-bc11-f1d7b0d64300";

struct PipelineRun {
  Analysis analysis;
  std::vector<Problem> problems;
  std::vector<Record> hosts;
};

PipelineRun analyse(const std::string& host_log, const std::string& client_log) {
  const fs::path dir = fs::temp_directory_path() / ("kmsdiag-time-range-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "host.json") << host_log;
  std::ofstream(dir / "pc1.json") << client_log;
  const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  std::vector<RuleError> errors;
  RuleSet rules = RuleSet::load(KMSDIAG_SOURCE_DIR "/rules", errors, SchemaCheck::off);
  EXPECT_TRUE(errors.empty());
  PipelineRun run;
  rules.set_record_observer([&](const std::vector<Record>& records) {
    for (const Record& r : records)
      if (r.kind == "kms.host") run.hosts.push_back(r);
  });
  PipelineOptions options;
  options.paths = {dir.string()};
  options.jobs = 1;
  options.on_problem = [&](const Problem& p) { run.problems.push_back(p); };
  run.analysis = run_analysis(options, kb, rules);
  fs::remove_all(dir);
  return run;
}

TEST(ImplausibleTime, EdgeOfInt64IsUndatedWithAProblemNamingTheRecord) {
  const std::string host =
      "[\n" +
      json_event(12290, "Key Management Service", "kms1.contoso.com", "-9223372036854775807",
                 std::string("0x00000000,25,PC1.contoso.com,") + kCmid1 + ",2024/3/14 9:11,0,2,43187," + kWindows) +
      ",\n" +
      json_event(12290, "Key Management Service", "kms1.contoso.com", "1704445400000",
                 std::string("0x00000000,25,PC2.contoso.com,") + kCmid2 + ",2024/3/14 9:11,0,2,43187," + kWindows) +
      "\n]\n";
  // A request dated at one end of int64 and its response at the other: the pairing gap overflowed.
  const std::string client = "[\n" +
                             json_event(12288, "Application", "PC1.contoso.com", "-9223372036854775807",
                                        std::string("0x00000000, 0x00000000, kms1.contoso.com:1688, ") + kCmid1 +
                                            ", 2024/03/14 12:38, 0, 2, 43182, " + kWindows + ", 25") +
                             ",\n" +
                             json_event(12289, "Application", "PC1.contoso.com", "9223372036854775807",
                                        "0x00000000, 0x04000000, 0, 0, 8, 120, 10080, 2024/03/14 12:38") +
                             "\n]\n";
  const PipelineRun run = analyse(host, client);

  std::vector<std::string> undated;
  for (const Problem& p : run.problems)
    if (p.message.find("read as undated") != std::string::npos) undated.push_back(p.describe());
  ASSERT_EQ(undated.size(), 3u);
  EXPECT_NE(undated[0].find("host.json:2: date/time -9223372036854775807 ms from 1970 is not between "
                            "1990-01-01T00:00:00Z and 2200-01-01T00:00:00Z"),
            std::string::npos)
      << undated[0];
  EXPECT_NE(undated[1].find("pc1.json:2: "), std::string::npos) << undated[1];
  EXPECT_NE(undated[2].find("pc1.json:10: date/time 9223372036854775807 ms from 1970"), std::string::npos)
      << undated[2];

  // Both requests still count for the host, whose evidence is its first request, now undated.
  ASSERT_EQ(run.hosts.size(), 1u);
  EXPECT_EQ(run.hosts[0].get("host_requests"), "2");
  EXPECT_EQ(run.hosts[0].time_ms, kNoTime);
  for (const InputSummary& in : run.analysis.inputs) {
    EXPECT_EQ(in.records, 2u) << in.path;
    EXPECT_EQ(in.problems.size(), in.path.ends_with("host.json") ? 1u : 2u) << in.path;
  }
}

TEST(ImplausibleTime, RangeIsFrom1990UpTo2200) {
  EXPECT_FALSE(plausible_time(kEarliestTimeMs - 1));
  EXPECT_TRUE(plausible_time(kEarliestTimeMs));
  EXPECT_TRUE(plausible_time(kLatestTimeMs - 1));
  EXPECT_FALSE(plausible_time(kLatestTimeMs));
  EXPECT_EQ(format_time(kEarliestTimeMs), "1990-01-01T00:00:00Z");
  EXPECT_EQ(format_time(kLatestTimeMs), "2200-01-01T00:00:00Z");
  EXPECT_FALSE(plausible_time(kNoTime));
}

}  // namespace
}  // namespace kmsdiag
