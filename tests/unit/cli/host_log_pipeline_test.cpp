// A host log read end to end: every request counts, however many there are (issue 9: a memory budget
// once evicted the oldest requests, and a client retrying every 20 s pushed the fleet out of the window).
#include <gtest/gtest.h>

#include <algorithm>
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
constexpr const char* kWindowsEnterprise = "73111121-5638-40f6-bc11-f1d7b0d64300";

std::string host_request(uint64_t record_id, int64_t unix_s, const std::string& client, const std::string& cmid,
                         const std::string& hresult, int status, const std::string& act_id = kWindowsEnterprise,
                         int n_policy = 25) {
  const std::string when = format_time(unix_s * 1000);
  return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
         "<Provider Name='Microsoft-Windows-Security-SPP' Guid='{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}' "
         "EventSourceName='KmsRequests'/><EventID Qualifiers='16384'>12290</EventID><Level>4</Level>"
         "<TimeCreated SystemTime='" +
         when + "'/><EventRecordID>" + std::to_string(record_id) +
         "</EventRecordID><Channel>Key Management Service</Channel><Computer>KMS1.corp.example</Computer>"
         "</System><EventData><Data>" +
         hresult + "," + std::to_string(n_policy) + "," + client + "," + cmid + ",2024/3/1 8:00,0," +
         std::to_string(status) + ",43200," + act_id + "</Data></EventData></Event>";
}

std::string cmid_of(int k) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "6c0a6a43-5d8f-4d4b-9c7e-%012d", k);
  return buf;
}

// Writes the events (in time order, numbered) as one host log and analyses it with the shipped rules and
// tables; returns the findings and every record of `kinds` the rules saw.
struct HostLogRun {
  Analysis analysis;
  std::vector<Record> records;
  uint64_t events = 0, interpreted = 0, kept = 0;
};
HostLogRun analyse_host_log(const std::string& name, std::multimap<int64_t, std::string> events,
                            std::initializer_list<std::string_view> kinds) {
  const fs::path dir = fs::temp_directory_path() / ("kmsdiag-" + name + "-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path log = dir / "Key Management Service.xml";
  HostLogRun run;
  {
    std::ofstream out(log, std::ios::binary);
    for (auto& [t, event] : events) {
      const auto at = event.find("<EventRecordID>0<");
      out << event.replace(at, 17, "<EventRecordID>" + std::to_string(++run.events) + "<");
    }
  }
  const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  std::vector<RuleError> errors;
  RuleSet rules = RuleSet::load(KMSDIAG_SOURCE_DIR "/rules", errors, SchemaCheck::off);
  EXPECT_TRUE(errors.empty()) << errors.front().describe();
  rules.set_record_observer([&](const std::vector<Record>& records) {
    for (const Record& r : records)
      if (std::find(kinds.begin(), kinds.end(), r.kind) != kinds.end()) run.records.push_back(r);
  });
  PipelineOptions options;
  options.paths = {log.string()};
  options.on_facts = [&](uint64_t i, uint64_t k) { run.interpreted = i, run.kept = k; };
  run.analysis = run_analysis(options, kb, rules);
  fs::remove_all(dir);
  return run;
}

std::map<std::string, std::string> fields_of(const Record& r) {
  std::map<std::string, std::string> out;
  for (const FieldView& f : r.fields) out[std::string(f.key)] = f.value;
  return out;
}

TEST(HostLogPipeline, AClientRetryingEvery20sDoesNotHideTheFleet) {
  const int64_t t0 = 1709280000;  // 2024-03-01
  std::multimap<int64_t, std::string> events;
  // 30 healthy clients renew weekly for five weeks...
  for (int k = 0; k < 30; ++k)
    for (int week = 0; week < 5; ++week) {
      const int64_t t = t0 + week * 7 * kDayS + k * 600;
      events.emplace(t, host_request(0, t, "PC-" + std::to_string(k), cmid_of(k), "0x0", 1));
    }
  // ...while one refused client, still in its grace period, retries every 20 s for the last three days.
  for (int64_t t = t0 + 32 * kDayS; t < t0 + 35 * kDayS; t += 20)
    events.emplace(t, host_request(0, t, "PC-NEW", cmid_of(99), "0xC004F015", 2));
  const HostLogRun run = analyse_host_log("retry", std::move(events), {"kms.host"});

  EXPECT_EQ(run.interpreted, run.events);
  EXPECT_EQ(run.kept, run.events);
  ASSERT_EQ(run.records.size(), 1u);
  auto host = fields_of(run.records[0]);
  EXPECT_EQ(host["host_requests"], std::to_string(run.events));
  EXPECT_EQ(host["distinct_cmids_30d"], "31");
  EXPECT_EQ(host["current_cmids_30d"], "31");
  EXPECT_EQ(host["retrying_cmids_30d"], "1");
  for (const Finding& f : run.analysis.findings) EXPECT_NE(f.cause, "count-below-threshold") << f.rule_id;
}

TEST(HostLogPipeline, OfficeVersionsCountApartAndWindowsStopsAtFifty) {
  // One host: 60 Windows clients renewing weekly (the host reports 50, healthy), and Office 2016 and
  // Office 2019 on three new PCs each, retrying every two hours: 6 Office clients, but 3 per version.
  const int64_t t0 = 1709280000;
  std::multimap<int64_t, std::string> events;
  for (int k = 0; k < 60; ++k)
    for (int week = 0; week < 3; ++week) {
      const int64_t t = t0 + week * 7 * kDayS + k * 600;
      events.emplace(t, host_request(0, t, "PC-" + std::to_string(k), cmid_of(k), "0x0", 1));
    }
  const std::pair<const char*, int> office[] = {{"d450596f-894d-49e0-966a-fd39ed4c4c64", 100},   // Office 2016
                                                {"85dd8b5f-eaa4-4af3-a628-cce9e77c9a03", 200}};  // Office 2019
  for (const auto& [act_id, base] : office)
    for (int k = 0; k < 3; ++k)
      for (int64_t t = t0 + 18 * kDayS + k * 300; t < t0 + 20 * kDayS; t += 7200)
        events.emplace(t, host_request(0, t, "OF-" + std::to_string(base + k), cmid_of(base + k), "0x0", 2, act_id, 5));
  const HostLogRun run = analyse_host_log("lines", std::move(events), {"kms.host", "kms.host-line"});

  std::map<std::string, std::map<std::string, std::string>> lines;
  for (const Record& r : run.records)
    if (r.kind == "kms.host-line") lines[std::string(r.get("line"))] = fields_of(r);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines["windows"]["count"], "50");
  EXPECT_EQ(lines["windows"]["distinct_cmids_30d"], "60");
  EXPECT_EQ(lines["windows"]["threshold"], "25");
  EXPECT_EQ(lines["office2016"]["count"], "3");
  EXPECT_EQ(lines["office2016"]["threshold"], "5");
  EXPECT_EQ(lines["office2016"]["retrying_cmids_30d"], "3");
  EXPECT_EQ(lines["office2019"]["count"], "3");
  std::vector<const Finding*> low;
  for (const Finding& f : run.analysis.findings)
    if (f.cause == "count-below-threshold") low.push_back(&f);
  ASSERT_EQ(low.size(), 1u);
  EXPECT_EQ(low[0]->rule_id, "count-below-threshold-host");
  // In the order the lines first asked (each line's evidence is its first 12290, with its own time).
  EXPECT_NE(low[0]->explanation.find("Office 2016, Office 2019 never reached"), std::string::npos)
      << low[0]->explanation;
  EXPECT_NE(low[0]->explanation.find("Windows 50/25 (capped: 60 CMIDs)"), std::string::npos) << low[0]->explanation;
  EXPECT_EQ(low[0]->evidence_total, 2u);  // the two Office lines; Windows is healthy
}

}  // namespace
}  // namespace kmsdiag
