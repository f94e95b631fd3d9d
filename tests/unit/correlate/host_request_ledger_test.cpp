// The ledger aggregates a host log's 12290s exactly, whatever order and thread they arrive from.
#include "correlate/host_request_ledger.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "correlate/correlation_steps.hpp"
#include "fact_builders.hpp"

namespace kmsdiag::testing {
namespace {

using correlation::HostRequestLedger;
using correlation::kCountWindowMs;
using correlation::LedgerHost;

// A 12290 of a Windows 10/11 Enterprise client, or (line "office2016" / "office2019") of Office Professional Plus,
// with the product fields the interpreter sets from the tables.
Record request(uint64_t pos, int64_t time, std::string host, std::string client, std::string cmid,
               std::string hresult = "0x0", std::string status = "1", std::string line = "windows") {
  Record r =
      host_request("kms.evtx", pos, time, std::move(host), std::move(client), std::move(cmid), std::move(hresult));
  r.set("license_status", std::move(status));
  const bool office = line.rfind("office", 0) == 0;
  r.set("act_id", line == "office2016"   ? "d450596f-894d-49e0-966a-fd39ed4c4c64"
                  : line == "office2019" ? "85dd8b5f-eaa4-4af3-a628-cce9e77c9a03"
                                         : "73111121-5638-40f6-bc11-f1d7b0d64300");
  r.set("product_family", office ? "office" : "windows-client");
  r.set("product_n", office ? "5" : "25");
  r.set("n_policy", office ? "5" : "25");
  r.set("count_line", std::move(line));
  return r;
}

const correlation::HostLineCounts& line_of(const LedgerHost& host, std::string_view line) {
  static const correlation::HostLineCounts kNone;
  const auto* counts = host.line(line);
  EXPECT_NE(counts, nullptr) << line;
  return counts ? *counts : kNone;
}

// Adds a request numbered in input order by its position in the log.
void add(HostRequestLedger& ledger, const Record& request) { ledger.add(request, 0, request.source.position); }

const LedgerHost& only_host(const HostRequestLedger& ledger) {
  EXPECT_EQ(ledger.hosts().size(), 1u);
  return ledger.hosts().at(0);
}

// What the host's count was at its busiest, and at its newest request, by brute force.
struct Truth {
  uint64_t max_30d = 0, current_30d = 0;
};
Truth brute_force(const std::vector<Record>& requests) {
  Truth truth;
  int64_t newest = kNoTime;
  for (const Record& r : requests) newest = std::max(newest, r.time_ms);
  for (const Record& now : requests) {
    std::set<std::string> in_window;
    for (const Record& r : requests)
      if (r.time_ms <= now.time_ms && r.time_ms >= now.time_ms - kCountWindowMs)
        in_window.insert(std::string(r.get("cmid")));
    truth.max_30d = std::max<uint64_t>(truth.max_30d, in_window.size());
    if (now.time_ms == newest) truth.current_30d = in_window.size();
  }
  return truth;
}

TEST(HostRequestLedger, DistinctCmidsIn30DaysAreExactFromTwoThreadsInAnyOrder) {
  std::mt19937 rng(11);
  for (int round = 0; round < 20; ++round) {
    std::vector<Record> requests;
    const int clients = 5 + round * 3;
    for (int k = 0; k < clients; ++k) {
      // Each client comes and goes: a few bursts of requests at random over 120 days.
      int64_t t = kT0 + static_cast<int64_t>(rng() % (120 * kDay));
      for (int n = 1 + static_cast<int>(rng() % 6); n > 0; --n) {
        requests.push_back(request(requests.size() + 1, t, "KMS1", "pc" + std::to_string(k), "c" + std::to_string(k)));
        t += static_cast<int64_t>(rng() % (40 * kDay));
      }
    }
    const Truth truth = brute_force(requests);
    std::vector<size_t> order(requests.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    HostRequestLedger ledger;
    std::thread other([&] {
      for (size_t i = 1; i < order.size(); i += 2) ledger.add(requests[order[i]], 0, order[i]);
    });
    for (size_t i = 0; i < order.size(); i += 2) ledger.add(requests[order[i]], 0, order[i]);
    other.join();
    ledger.seal();
    const LedgerHost& host = only_host(ledger);
    ASSERT_EQ(host.lines.size(), 1u);
    EXPECT_EQ(line_of(host, "windows").max_30d, truth.max_30d) << round;
    EXPECT_EQ(line_of(host, "windows").current_30d, truth.current_30d) << round;
    EXPECT_EQ(line_of(host, "windows").requests, requests.size());
    EXPECT_EQ(host.requests, requests.size());
    EXPECT_EQ(host.first_source.position, 1u);  // the first in input order, whichever thread added it
  }
}

TEST(HostRequestLedger, WindowsAndEachOfficeVersionCountSeparately) {
  HostRequestLedger ledger;
  uint64_t pos = 0;
  for (int k = 0; k < 6; ++k) add(ledger, request(++pos, kT0 + k * kMin, "KMS1", "pc", "w" + std::to_string(k)));
  // Office 2016 and 2019 on three machines each: six together, but each version is its own count. One
  // machine runs both, under one CMID: it counts once on each line.
  for (int k = 0; k < 3; ++k) {
    add(ledger, request(++pos, kT0 + k * kMin, "KMS1", "pc", "a" + std::to_string(k), "0x0", "2", "office2016"));
    add(ledger, request(++pos, kT0 + k * kMin, "KMS1", "pc", "b" + std::to_string(k), "0x0", "2", "office2019"));
  }
  add(ledger, request(++pos, kT0 + 60 * kMin, "KMS1", "pc", "w0", "0x0", "2", "office2019"));
  ledger.seal();
  const LedgerHost& host = only_host(ledger);
  ASSERT_EQ(host.lines.size(), 3u);
  EXPECT_EQ(host.lines[0].line, "office2016");  // by line id
  EXPECT_EQ(line_of(host, "windows").max_30d, 6u);
  EXPECT_EQ(line_of(host, "windows").threshold, 25.0);
  EXPECT_EQ(line_of(host, "windows").retrying_30d, 0u);
  EXPECT_EQ(line_of(host, "office2016").max_30d, 3u);
  EXPECT_EQ(line_of(host, "office2016").current_30d, 3u);
  EXPECT_EQ(line_of(host, "office2016").retrying_30d, 3u);
  EXPECT_EQ(line_of(host, "office2016").threshold, 5.0);
  EXPECT_EQ(line_of(host, "office2019").max_30d, 4u);
  EXPECT_EQ(line_of(host, "office2019").requests, 4u);
  EXPECT_EQ(line_of(host, "office2019").retrying_30d, 4u);
  EXPECT_EQ(host.retrying_30d, 7u);  // CMIDs, whatever the line
  EXPECT_EQ(host.requests, 13u);
}

TEST(HostRequestLedger, LineCountsAreExactPerLineOverSlidingWindows) {
  // Random clients on three lines, each asking on one or two lines in bursts: every line's counts equal
  // the brute force over its own requests.
  std::mt19937 rng(23);
  const std::vector<std::string> lines = {"windows", "office2016", "office2019"};
  std::vector<Record> requests;
  for (int k = 0; k < 40; ++k) {
    const size_t first = rng() % lines.size(), second = rng() % lines.size();
    int64_t t = kT0 + static_cast<int64_t>(rng() % (90 * kDay));
    for (int n = 1 + static_cast<int>(rng() % 6); n > 0; --n) {
      const std::string& line = lines[n % 2 ? first : second];
      requests.push_back(
          request(requests.size() + 1, t, "KMS1", "pc" + std::to_string(k), "c" + std::to_string(k), "0x0", "1", line));
      t += static_cast<int64_t>(rng() % (35 * kDay));
    }
  }
  HostRequestLedger ledger;
  for (const Record& r : requests) add(ledger, r);
  ledger.seal();
  const LedgerHost& host = only_host(ledger);
  int64_t newest = kNoTime;
  for (const Record& r : requests) newest = std::max(newest, r.time_ms);
  for (const std::string& line : lines) {
    std::vector<Record> own;
    for (const Record& r : requests)
      if (r.get("count_line") == line) own.push_back(r);
    if (own.empty()) continue;
    const Truth truth = brute_force(own);
    EXPECT_EQ(line_of(host, line).max_30d, truth.max_30d) << line;
    // The count now is at the host's newest request, which may be on another line.
    std::set<std::string> now;
    for (const Record& r : own)
      if (r.time_ms >= newest - kCountWindowMs) now.insert(std::string(r.get("cmid")));
    EXPECT_EQ(line_of(host, line).current_30d, now.size()) << line;
    EXPECT_EQ(line_of(host, line).requests, own.size()) << line;
  }
}

TEST(HostRequestLedger, RequestsWithoutACmidNeverCount) {
  // Blank CMIDs (a damaged payload) months apart: requests of the host, never part of a count.
  HostRequestLedger ledger;
  for (int k = 0; k < 4; ++k) add(ledger, request(k + 1, kT0 + k * 40 * kDay, "KMS1", "pc", ""));
  add(ledger, request(5, kT0 + 120 * kDay, "KMS1", "pc", "c1"));
  ledger.seal();
  const LedgerHost& host = only_host(ledger);
  EXPECT_EQ(host.requests, 5u);
  EXPECT_EQ(line_of(host, "windows").max_30d, 1u);
  EXPECT_EQ(line_of(host, "windows").requests, 5u);
}

TEST(HostRequestLedger, ALineBeyondTheLastSharesIt) {
  // The tables allow at most kMaxCountLines lines; a hand-made request naming more counts with the last.
  HostRequestLedger ledger;
  const size_t n = correlation::kMaxCountLines + 2;
  for (size_t k = 0; k < n; ++k)
    add(ledger, request(k + 1, kT0 + static_cast<int64_t>(k) * kMin, "KMS1", "pc", "c" + std::to_string(k), "0x0", "1",
                        "line" + std::to_string(100 + k)));
  ledger.seal();
  const LedgerHost& host = only_host(ledger);
  ASSERT_EQ(host.lines.size(), correlation::kMaxCountLines);
  EXPECT_EQ(line_of(host, "line" + std::to_string(100 + correlation::kMaxCountLines - 1)).max_30d, 3u);
  EXPECT_EQ(host.requests, n);
}

TEST(HostRequestLedger, TheSameRequestReadTwiceCountsOnce) {
  // The host log and its XML export, read concurrently: every request arrives twice.
  HostRequestLedger ledger;
  std::vector<Record> log;
  for (int i = 0; i < 50; ++i)
    log.push_back(request(i + 1, kT0 + i * 20'000, "KMS1", "pc" + std::to_string(i % 5), "c" + std::to_string(i % 5),
                          i % 2 ? "0xC004F038" : "0x0"));
  std::thread copy([&] {
    for (size_t i = 0; i < log.size(); ++i) ledger.add(log[i], 1, i);
  });
  for (size_t i = 0; i < log.size(); ++i) ledger.add(log[i], 0, i);
  copy.join();
  ledger.note_client_fact(client_request("pc1.evtx", 1, kT0, "pc1", "C1"));
  ledger.seal();
  const LedgerHost& host = only_host(ledger);
  EXPECT_EQ(host.requests, 50u);
  EXPECT_EQ(host.failures, 25u);
  EXPECT_EQ(ledger.cmid("C1")->requests, 10u);
  EXPECT_EQ(ledger.cmid("c1")->times.size(), 10u);
  uint64_t refused = 0;
  for (const auto& r : ledger.take_refusals()) {
    refused += static_cast<uint64_t>(to_number(r.fact.get("requests")).value_or(0));
    EXPECT_EQ(r.unit, 0u);  // the original's, not the copy's
  }
  EXPECT_EQ(refused, 25u);
}

TEST(HostRequestLedger, KeepsRequestTimesOnlyForCmidsAClientLogged) {
  // The times serve only the join with clients' own attempts: a host log alone keeps none.
  HostRequestLedger ledger;
  for (int i = 0; i < 6; ++i)
    ledger.add(request(i + 1, kT0 - 3 * kDay + i * 3'600'000, "KMS1", "pc" + std::to_string(i % 2),
                       "c" + std::to_string(i % 2)),
               0, i);
  ledger.note_client_fact(client_request("pc0.evtx", 1, kT0, "pc0", " C0 "));
  ledger.note_client_fact(host_request("kms.evtx", 9, kT0, "KMS1", "pc1", "c1"));  // not a client's own log
  ledger.seal();
  const correlation::LedgerCmid* joined = ledger.cmid("c0");
  const correlation::LedgerCmid* host_only = ledger.cmid("c1");
  ASSERT_TRUE(joined && host_only);
  EXPECT_EQ(joined->times,
            (std::vector<int64_t>{kT0 - 3 * kDay, kT0 - 3 * kDay + 2 * 3'600'000, kT0 - 3 * kDay + 4 * 3'600'000}));
  EXPECT_TRUE(host_only->times.empty());
  EXPECT_EQ(host_only->first, kT0 - 3 * kDay + 3'600'000);
  EXPECT_EQ(host_only->last, kT0 - 3 * kDay + 5 * 3'600'000);
  EXPECT_EQ(host_only->requests, 3u);
}

TEST(HostRequestLedger, IdenticalRefusalsCollapseWithTheirCountAndLastTime) {
  HostRequestLedger ledger;
  // One client refused every 20 s for a day with the same code, then once with another code; a second
  // client refused once. Added newest first: the fact kept is still the first occurrence.
  const int retries = 24 * 60 * 3;
  for (int i = retries; i > 0; --i)
    add(ledger, request(i, kT0 + (i - 1) * 20'000, "KMS1", "PC7", "c7", "0xC004F038", "2"));
  uint64_t pos = retries;
  add(ledger, request(++pos, kT0 + kDay, "KMS1", "PC7", "c7", "0xC004F015", "2"));
  add(ledger, request(++pos, kT0 + kDay, "KMS1", "PC8", "c8", "0xC004F038", "2"));
  add(ledger, request(++pos, kT0 + kDay, "KMS1", "PC9", "c9"));  // accepted: not kept as a fact
  ledger.seal();
  auto refusals = ledger.take_refusals();
  std::sort(refusals.begin(), refusals.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  ASSERT_EQ(refusals.size(), 3u);
  const Record& first = refusals[0].fact;
  EXPECT_EQ(first.get("hresult"), "0xC004F038");
  EXPECT_EQ(first.get("client"), "PC7");
  EXPECT_EQ(first.time_ms, kT0);
  EXPECT_EQ(first.source.position, 1u);
  EXPECT_EQ(first.get("requests"), std::to_string(retries));
  EXPECT_EQ(first.get("last"), format_time(kT0 + (retries - 1) * 20'000));
  EXPECT_EQ(refusals[1].fact.get("hresult"), "0xC004F015");
  EXPECT_EQ(refusals[1].fact.get("requests"), "1");
  EXPECT_EQ(refusals[2].fact.get("client"), "PC8");
  const LedgerHost& host = only_host(ledger);
  EXPECT_EQ(host.requests, static_cast<uint64_t>(retries) + 3);
  EXPECT_EQ(host.failures, static_cast<uint64_t>(retries) + 2);
  EXPECT_EQ(host.retrying_30d, 2u);  // c7 and c8 asked unlicensed; c9 is licensed
}

TEST(HostRequestLedger, ClientsThatStoppedRenewing) {
  HostRequestLedger ledger;
  uint64_t pos = 0;
  const auto renew = [&](int64_t t, const std::string& cmid) { add(ledger, request(++pos, t, "KMS1", cmid, cmid)); };
  for (int week = 0; week < 6; ++week) renew(kT0 + week * 7 * kDay, "steady");
  for (int week = 0; week < 3; ++week) renew(kT0 + week * 7 * kDay, "gone");  // silent for 3 weeks at the end
  renew(kT0, "once");                                                         // a single request: no renewal seen
  ledger.seal();
  const LedgerHost& host = only_host(ledger);
  EXPECT_EQ(host.stale, std::vector<std::string_view>{"gone"});
}

}  // namespace
}  // namespace kmsdiag::testing
