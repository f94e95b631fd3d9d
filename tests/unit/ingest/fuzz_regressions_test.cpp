// Every input a fuzzer ever crashed on (tests/fuzz/regressions/) goes through the ingest driver as a
// file would: format detection, then the reader. Each must be read or rejected without crashing.
#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/ingest_driver.hpp"

namespace kmsdiag {
namespace {

struct NullSink final : IngestSink {
  size_t problems = 0;
  void on_record(Record&&) override {}
  void on_problem(Problem&&) override { ++problems; }
};

TEST(FuzzRegressions, EveryCrashingInputIsNowHandled) {
  const std::filesystem::path dir = std::filesystem::path(KMSDIAG_SOURCE_DIR) / "tests/fuzz/regressions";
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    NullSink sink;
    const auto out = ingest_paths({entry.path().string()}, Knowledge{}, sink);
    EXPECT_FALSE(out.empty()) << entry.path();
  }
  EXPECT_GT(files, 0u);
}

}  // namespace
}  // namespace kmsdiag
