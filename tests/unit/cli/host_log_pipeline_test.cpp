// A host log read end to end: every request counts, however many there are (issue 9: a memory budget
// once evicted the oldest requests, and a client retrying every 20 s pushed the fleet out of the window).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <unistd.h>

#include "cli/analysis_pipeline.hpp"

namespace kmsdiag {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kDayS = 86400;

// One 12290 as `wevtutil qe "Key Management Service" /f:xml` writes it.
std::string host_request(uint64_t record_id, int64_t unix_s, const std::string& client, const std::string& cmid,
                         const std::string& hresult, int status) {
  const std::string when = format_time(unix_s * 1000);
  return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
         "<Provider Name='Microsoft-Windows-Security-SPP' Guid='{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}' "
         "EventSourceName='KmsRequests'/><EventID Qualifiers='16384'>12290</EventID><Level>4</Level>"
         "<TimeCreated SystemTime='" +
         when + "'/><EventRecordID>" + std::to_string(record_id) +
         "</EventRecordID><Channel>Key Management Service</Channel><Computer>KMS1.corp.example</Computer>"
         "</System><EventData><Data>" +
         hresult + ",25," + client + "," + cmid + ",2024/3/1 8:00,0," + std::to_string(status) +
         ",43200,73111121-5638-40f6-bc11-f1d7b0d64300</Data></EventData></Event>";
}

std::string cmid_of(int k) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "6c0a6a43-5d8f-4d4b-9c7e-%012d", k);
  return buf;
}

TEST(HostLogPipeline, AClientRetryingEvery20sDoesNotHideTheFleet) {
  const fs::path dir = fs::temp_directory_path() / ("kmsdiag-retry-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path log = dir / "Key Management Service.xml";
  const int64_t t0 = 1709280000;  // 2024-03-01
  uint64_t id = 0;
  {
    std::ofstream out(log, std::ios::binary);
    // 30 healthy clients renew weekly for five weeks...
    std::multimap<int64_t, std::string> events;
    for (int k = 0; k < 30; ++k)
      for (int week = 0; week < 5; ++week) {
        const int64_t t = t0 + week * 7 * kDayS + k * 600;
        events.emplace(t, host_request(0, t, "PC-" + std::to_string(k), cmid_of(k), "0x0", 1));
      }
    // ...while one refused client, still in its grace period, retries every 20 s for the last three days.
    for (int64_t t = t0 + 32 * kDayS; t < t0 + 35 * kDayS; t += 20)
      events.emplace(t, host_request(0, t, "PC-NEW", cmid_of(99), "0xC004F015", 2));
    for (auto& [t, event] : events) {
      const auto at = event.find("<EventRecordID>0<");
      out << event.replace(at, 17, "<EventRecordID>" + std::to_string(++id) + "<");
    }
  }

  const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  std::vector<RuleError> errors;
  RuleSet rules = RuleSet::load(KMSDIAG_SOURCE_DIR "/rules", kb, errors, SchemaCheck::off);
  ASSERT_TRUE(errors.empty()) << errors.front().describe();
  std::map<std::string, std::string> host;
  rules.set_record_observer([&](const std::vector<Record>& records) {
    for (const Record& r : records)
      if (r.kind == "kms.host")
        for (const FieldView& f : r.fields) host[std::string(f.key)] = f.value;
  });
  PipelineOptions options;
  options.paths = {log.string()};
  uint64_t interpreted = 0, kept = 0;
  options.on_facts = [&](uint64_t i, uint64_t k) { interpreted = i, kept = k; };
  const Analysis analysis = run_analysis(options, kb, rules);
  fs::remove_all(dir);

  EXPECT_EQ(interpreted, id);
  EXPECT_EQ(kept, id);
  EXPECT_EQ(host["host_requests"], std::to_string(id));
  EXPECT_EQ(host["distinct_cmids_30d"], "31");
  EXPECT_EQ(host["current_cmids_30d"], "31");
  EXPECT_EQ(host["retrying_cmids_30d"], "1");
  for (const Finding& f : analysis.findings) EXPECT_NE(f.cause, "count-below-threshold") << f.rule_id;
}

}  // namespace
}  // namespace kmsdiag
