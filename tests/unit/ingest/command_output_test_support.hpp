// Command-output fixtures (tests/unit/ingest/data) read through the whole ingest driver.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "event_text_test_support.hpp"

namespace kmsdiag::testing {

inline std::string fixture(const std::string& name) {
  std::ifstream in(std::string(KMSDIAG_SOURCE_DIR "/tests/unit/ingest/data/") + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Ingests a fixture as the tool would and checks the detected format.
inline Collected ingest_fixture(const std::string& name, const std::string& format, std::string_view bytes = {}) {
  const std::string text = bytes.empty() ? fixture(name) : std::string(bytes);
  InputSummary summary;
  Collected out = ingest_bytes(text, summary, name);
  EXPECT_EQ(summary.format, format) << name << " skipped: " << summary.skipped;
  return out;
}

inline std::vector<const Record*> of_kind(const Collected& c, std::string_view kind) {
  std::vector<const Record*> out;
  for (const auto& r : c.records)
    if (r.kind == kind) out.push_back(&r);
  return out;
}

}  // namespace kmsdiag::testing
