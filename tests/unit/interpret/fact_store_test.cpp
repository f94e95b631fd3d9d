// FactStore keeps every fact, compactly, whatever order they arrive in (inputs are read concurrently),
// returns them in input order, and counts the same log given twice once.
#include "interpret/fact_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <thread>

namespace kmsdiag {
namespace {

struct Arrival {
  Record fact;
  uint64_t unit, seq;
};

// Facts of very different sizes and repeated times, spread over 4 units.
std::vector<Arrival> arrivals(size_t n) {
  std::vector<Arrival> out;
  for (size_t i = 0; i < n; ++i) {
    Record r;
    r.kind = "kms.client-request";
    r.source = {"unit" + std::to_string(i % 4) + ".evtx", "record", i + 1, std::to_string(i + 1)};
    r.time_ms = static_cast<int64_t>((i * 7919) % 50) * 1000;  // many facts share a second
    r.set("cmid", std::string((i * 37) % 1500, 'c'));          // sizes from none to 1.5 KB
    out.push_back({std::move(r), i % 4, i / 4});
  }
  return out;
}

// Adds the arrivals shuffled, from `threads` threads at once.
std::vector<std::string> taken_in_order(std::vector<Arrival> in, unsigned shuffle_seed, unsigned threads = 1) {
  std::shuffle(in.begin(), in.end(), std::mt19937(shuffle_seed));
  FactStore store;
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      for (size_t i = t; i < in.size(); i += threads) store.add(in[i].fact, in[i].unit, in[i].seq);
    });
  for (auto& w : workers) w.join();
  std::vector<std::string> out;
  for (const Record& r : store.take()) out.push_back(r.source.describe());
  return out;
}

TEST(FactStore, KeepsEveryFactInInputOrder) {
  const auto kept = taken_in_order(arrivals(4000), 7);
  ASSERT_EQ(kept.size(), 4000u);                                     // nothing is left out, however many
  EXPECT_EQ(kept.front(), "unit0.evtx record 1 (EventRecordID 1)");  // unit 0 first, then by position in it
  EXPECT_EQ(kept[1], "unit0.evtx record 5 (EventRecordID 5)");
}

TEST(FactStore, OrderDoesNotDependOnArrivalOrderOrThreads) {
  const auto reference = taken_in_order(arrivals(400), 1);
  for (unsigned seed = 2; seed < 12; ++seed) EXPECT_EQ(taken_in_order(arrivals(400), seed, 4), reference) << seed;
}

// The facts it gives back carry their kind, path, unit and machine as shared text: one block for each
// distinct text, not a heap block each a fact (correlation then compares kinds in a block that stays in the cache).
TEST(FactStore, FactsGivenBackShareTheirKindPathUnitAndMachine) {
  FactStore store;
  for (size_t i = 0; i < 100; ++i) {
    Record r;
    r.kind = i % 2 ? "kms.client-request" : "kms.client-response";
    r.source = {"client-Application.evtx", "record", i + 1, std::to_string(i + 1)};
    r.machine = "PC-0001.corp.example";
    store.add(r, 0, i);
  }
  const std::vector<Record> facts = store.take();
  ASSERT_EQ(facts.size(), 100u);
  for (size_t i = 2; i < facts.size(); ++i) {
    EXPECT_EQ(facts[i].kind.data(), facts[i % 2].kind.data());
    EXPECT_EQ(facts[i].source.path.data(), facts[0].source.path.data());
    EXPECT_EQ(facts[i].machine.data(), facts[0].machine.data());
    EXPECT_EQ(facts[i].source.unit.data(), facts[0].source.unit.data());
  }
  EXPECT_EQ(facts[1].kind, "kms.client-request");
  EXPECT_EQ(facts[0].machine, "PC-0001.corp.example");
}

// A fact's kind, machine, path and unit are found again by the address of their shared text when they are the
// last fact's: each fact here is a fresh record, made after the last one's text was freed, so a new text
// may well come at the old one's address.
TEST(FactStore, EachFactKeepsItsOwnTextsWhateverAddressTheyCameAt) {
  FactStore store;
  std::vector<std::string> kinds, machines, paths;
  for (uint64_t i = 0; i < 200; ++i) {
    Record r;
    r.kind = (i % 3 == 0 ? "kms.client-request." : "license.state.") + std::to_string(i % 5);
    r.machine = "PC-" + std::to_string(i % 7) + ".corp.contoso.com";
    r.source = {"logs/Application-" + std::to_string(i % 2) + ".evtx", i % 4 ? "record" : "line", i + 1, ""};
    kinds.push_back(r.kind.str());
    machines.push_back(r.machine.str());
    paths.push_back(r.source.path.str() + "|" + r.source.unit.str());
    store.add(r, 0, i);
  }
  const std::vector<Record> back = store.take();
  ASSERT_EQ(back.size(), kinds.size());
  for (size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].kind, kinds[i]) << i;
    EXPECT_EQ(back[i].machine, machines[i]) << i;
    EXPECT_EQ(back[i].source.path.str() + "|" + back[i].source.unit.str(), paths[i]) << i;
  }
}

TEST(FactStore, GivesBackEveryFieldAsItCame) {
  Record r;
  r.kind = "kms.client-response";
  r.source = {"bundle.zip!pc1/Application.evtx", "record", 42, "812"};
  r.time_ms = 1'700'000'000'123;
  r.machine = "PC1.contoso.com";
  r.set("hresult", "0xC004F038");
  r.set("count", "4");
  r.set("empty", "");
  FactStore store;
  store.add(r, 0, 0);
  const auto out = store.take();
  ASSERT_EQ(out.size(), 1u);
  const Record& back = out[0];
  EXPECT_EQ(back.kind, r.kind);
  EXPECT_EQ(back.source.describe(), r.source.describe());
  EXPECT_EQ(back.time_ms, r.time_ms);
  EXPECT_EQ(back.machine, r.machine);
  ASSERT_EQ(back.fields.size(), 3u);
  EXPECT_EQ(back.get("hresult"), "0xC004F038");
  EXPECT_EQ(back.get("count"), "4");
  EXPECT_TRUE(back.has("empty"));
}

// A typical client fact (a 12288 with its enrichment) costs its fields' packed bytes and a fixed part, its
// repeated strings (kind, machine, path) shared: less than its Record, which also keeps its strings and
// room to grow. take() hands the same packed fields on, so no fact is ever held twice.
TEST(FactStore, HoldsFactsCompactly) {
  FactStore store;
  size_t record_bytes = 0, packed_bytes = 0;
  constexpr int kFacts = 2000;
  for (int i = 0; i < kFacts; ++i) {
    Record r;
    r.kind = "kms.client-request";
    r.source = {"C:/logs/clients/PC-" + std::to_string(i % 50) + "/Application.evtx", "record",
                static_cast<uint64_t>(i), std::to_string(100000 + i)};
    r.time_ms = 1'700'000'000'000 + i * 60'000;
    r.machine = "PC-" + std::to_string(i % 50) + ".corp.contoso.com";
    for (const char* key : {"hresult", "hresult_known", "hresult_symbol", "hresult_meaning", "hresult_cause",
                            "hresult_kms", "kms_host", "kms_host_name", "kms_port", "act_id", "product",
                            "product_family", "product_n", "license_status", "license_status_name", "n_policy"})
      r.set(key, std::string(key) + " value shared by many facts");
    r.set("cmid", "6c0a6a43-5d8f-4d4b-9c7e-" + std::to_string(100000000000 + i % 50));
    r.set("client_time", std::to_string(i));
    r.set("minutes_to_expiry", std::to_string(43200 - i));
    record_bytes += r.footprint();
    packed_bytes += FieldList(r.fields).heap_bytes();  // a copy is exactly its fields' size
    store.add(r, 0, static_cast<uint64_t>(i));
  }
  const size_t per_fact = store.footprint() / kFacts;
  // Besides its fields: the fact's fixed part and its share of the strings (its own EventRecordID, 50 paths and names).
  EXPECT_LT(per_fact, packed_bytes / kFacts + 160) << "bytes per fact; its fields take " << packed_bytes / kFacts;
  EXPECT_LT(per_fact, record_bytes / kFacts) << "bytes per fact; a Record takes " << record_bytes / kFacts;
  EXPECT_LT(record_bytes / kFacts, 1600u);  // a Record packs its fields too (3 KB here before FieldList)
  size_t taken_bytes = 0;
  for (const Record& r : store.take()) taken_bytes += r.fields.heap_bytes();
  EXPECT_EQ(taken_bytes, packed_bytes);  // handed on as packed: no room for growth added, nothing copied aside
}

Record copy_of_fact(const std::string& path, uint64_t position, int64_t time, const std::string& machine) {
  Record r;
  r.kind = "kms.client-request";
  r.source = {path, "record", position, std::to_string(position)};
  r.time_ms = time;
  r.machine = machine;
  r.set("cmid", "c1");
  r.set("hresult", "0x00000000");
  return r;
}

TEST(FactStore, TheSameLogGivenTwiceCountsOnce) {
  // Application.xml and its renamed copy, read concurrently in any order; the copy comes second in input
  // order, so its facts are the ones left out, and it says whose copy it is. Arriving in input order (the
  // last case), the facts are taken in the order held, each let go once made.
  enum class Arrival { kCopyFirst, kCopyBetween, kInInputOrder };
  for (const Arrival arrival : {Arrival::kCopyFirst, Arrival::kCopyBetween, Arrival::kInInputOrder}) {
    FactStore store;
    const auto add_log = [&](const std::string& path, uint64_t unit) {
      store.add(copy_of_fact(path, 1, 1000, "PC-OLD"), unit, 0);
      store.add(copy_of_fact(path, 2, 9000, "PC-NEW"), unit, 1);
    };
    const auto add_other_event = [&] {  // record id 3: another event of the original only
      store.add(copy_of_fact("Application.xml", 3, 9000, "PC-NEW"), 0, 2);
    };
    if (arrival == Arrival::kCopyFirst) add_log("Application (1).xml", 1);
    add_log("Application.xml", 0);
    if (arrival == Arrival::kCopyBetween) add_log("Application (1).xml", 1);
    add_other_event();
    if (arrival == Arrival::kInInputOrder) add_log("Application (1).xml", 1);
    const auto kept = store.take();
    ASSERT_EQ(kept.size(), 3u);
    for (const Record& r : kept) EXPECT_EQ(r.source.path, "Application.xml");
    EXPECT_EQ(kept[2].source.record_id, "3");
    ASSERT_EQ(store.duplicates().size(), 1u);
    EXPECT_EQ(store.duplicates().at("Application (1).xml"), "Application.xml");
    EXPECT_EQ(store.size(), 0u);
  }
}

TEST(FactStore, RepeatsWithinOneInputAndUndatedFactsStay) {
  FactStore store;
  // The same event twice in one log (no EventRecordID: pasted text) is two events.
  Record pasted = copy_of_fact("pasted.txt", 1, 5000, "PC1");
  pasted.source.record_id.clear();
  store.add(pasted, 0, 0);
  store.add(pasted, 0, 1);
  // Undated command output in two folders says the same of two machines.
  Record dlv = copy_of_fact("pc1/dlv.txt", 1, kNoTime, "");
  store.add(dlv, 1, 0);
  dlv.source.path = "pc2/dlv.txt";
  store.add(dlv, 2, 0);
  // A different machine, time or field is another fact.
  store.add(copy_of_fact("other.xml", 1, 5000, "PC2"), 3, 0);
  EXPECT_EQ(store.take().size(), 5u);
  EXPECT_TRUE(store.duplicates().empty());
}

// Correlation appends its records to the facts taken: with the room asked for, the facts are not moved
// to a bigger array (for a big log, moving them cost as much as the rest of correlation).
TEST(FactStore, LeavesTheRoomAskedForAfterTheFacts) {
  FactStore store;
  for (const Arrival& a : arrivals(100)) store.add(a.fact, a.unit, a.seq);
  std::vector<Record> facts = store.take(50);
  ASSERT_EQ(facts.size(), 100u);
  const Record* first = facts.data();
  for (int i = 0; i < 50; ++i) facts.emplace_back();
  EXPECT_EQ(facts.data(), first);
}

}  // namespace
}  // namespace kmsdiag
