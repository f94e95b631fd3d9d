// Shared by the text event reader tests: the shipped knowledge tables, a collecting sink, and
// helpers that read text through one format or through the whole ingest driver.
#pragma once

#include <gtest/gtest.h>
#include <iconv.h>

#include <string>
#include <string_view>
#include <vector>

#include "ingest/byte_source.hpp"
#include "ingest/ingest_driver.hpp"
#include "ingest/reader.hpp"
#include "knowledge/knowledge.hpp"

namespace kmsdiag::testing {

inline const Knowledge& shipped_kb() {
  static const Knowledge kb = Knowledge::load(KMSDIAG_SOURCE_DIR "/rules/tables");
  return kb;
}

struct Collected : IngestSink {
  std::vector<Record> records;
  std::vector<Problem> problems;
  void on_record(Record&& r) override { records.push_back(std::move(r)); }
  void on_problem(Problem&& p) override { problems.push_back(std::move(p)); }
};

// Reads `text` with the reader of `format` directly.
inline Collected read_as(const FormatInfo& format, std::string_view text, const std::string& path = "in.txt") {
  MemorySource src(path, text);
  Collected out;
  const ReadStats stats = format.make(shipped_kb())->read(src, out);
  EXPECT_EQ(stats.records, out.records.size());
  EXPECT_EQ(stats.problems, out.problems.size());
  EXPECT_EQ(stats.bytes, text.size());
  return out;
}

// Reads raw bytes the way the tool does: encoding and format detected, text decoded to UTF-8.
inline Collected ingest_bytes(std::string_view bytes, InputSummary& summary, const std::string& path = "in.txt") {
  MemorySource src(path, bytes);
  Collected out;
  std::vector<InputSummary> summaries;
  ingest_source(src, shipped_kb(), out, summaries);
  EXPECT_EQ(summaries.size(), 1u);
  if (!summaries.empty()) summary = summaries.front();
  return out;
}

// What a record says, without where it was found (kind, time, machine and fields), for comparing
// the records of a part read inside a larger file with those of the part read alone.
inline std::string content(const Record& r) {
  std::string out = r.kind + " @" + std::to_string(r.time_ms) + " " + r.machine + "\n";
  for (const auto& f : r.fields) out.append("  ").append(f.key).append("=").append(f.value).append("\n");
  return out;
}

inline std::vector<std::string> contents(const std::vector<Record>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(content(r));
  return out;
}

// UTF-8 text re-encoded with iconv ("UTF-16LE", "CP932", ...), as customers' files arrive.
inline std::string encode(std::string_view utf8, const char* codec) {
  iconv_t cd = iconv_open(codec, "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << codec;
  std::string in(utf8), out(utf8.size() * 4 + 16, '\0');
  char* src = in.data();
  char* dst = out.data();
  size_t src_left = in.size(), dst_left = out.size();
  EXPECT_NE(iconv(cd, &src, &src_left, &dst, &dst_left), static_cast<size_t>(-1)) << codec;
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}

}  // namespace kmsdiag::testing
