#include <gtest/gtest.h>

#include "analysis_builders.hpp"
#include "report/report.hpp"

namespace kmsdiag::testing {
namespace {

TEST(ExitCode, HealthyIsZeroEvenWithInfoFindings) {
  Analysis a = healthy_analysis();
  EXPECT_EQ(exit_code(a), kExitOk);
  a.findings.push_back(finding("no-kms-activity", Severity::info, "No KMS activity"));
  EXPECT_EQ(exit_code(a), kExitOk);
}

TEST(ExitCode, WarningOrWorseIsOne) {
  Analysis a = healthy_analysis();
  a.findings.push_back(finding("stale", Severity::warning, "Stale"));
  EXPECT_EQ(exit_code(a), kExitFindings);
}

TEST(ExitCode, DamagedInputIsTwo) {
  Analysis a = healthy_analysis();
  a.inputs[0].problems.push_back({SourceRef{"x.evtx", "record", 3, ""}, "bad checksum"});
  EXPECT_EQ(exit_code(a), kExitInputProblems);
}

TEST(ExitCode, QuietlySkippedFileIsNotAProblem) {
  // A note found while walking a folder: listed as skipped, but nothing went wrong.
  Analysis b = healthy_analysis();
  b.inputs[0].skipped = "text in no format kmsdiag knows";
  EXPECT_EQ(exit_code(b), kExitOk);
}

TEST(ExitCode, BothIsThree) { EXPECT_EQ(exit_code(clone_analysis()), 3); }

TEST(ExitCode, NoInputIsSixtySix) { EXPECT_EQ(exit_code(Analysis{}), kExitNoInput); }

}  // namespace
}  // namespace kmsdiag::testing
