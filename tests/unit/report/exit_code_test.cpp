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
  b.inputs.push_back(read_input("notes.txt", 0, 0));
  b.inputs.back().skipped = "text in no format kmsdiag knows";
  EXPECT_EQ(exit_code(b), kExitOk);
}

// Every input skipped, or only an archive whose members were all skipped (or none): nothing was analysed,
// which is neither "no problem found" (0) nor "no input" (66).
TEST(ExitCode, NothingAnalysedIsSixtyFive) {
  Analysis skipped = healthy_analysis();
  skipped.inputs[0].skipped = "text in no format kmsdiag knows";
  EXPECT_EQ(exit_code(skipped), kExitNothingAnalysed);
  Analysis empty_zip;
  empty_zip.inputs.push_back(read_input("empty.zip", 0, 0));
  empty_zip.inputs.back().format = "zip";
  EXPECT_EQ(exit_code(empty_zip), kExitNothingAnalysed);
  empty_zip.inputs.push_back(read_input("empty.zip!app.xml", 0, 0));
  EXPECT_EQ(exit_code(empty_zip), kExitOk);
}

TEST(ExitCode, BothIsThree) { EXPECT_EQ(exit_code(clone_analysis()), 3); }

TEST(ExitCode, NoInputIsSixtySix) { EXPECT_EQ(exit_code(Analysis{}), kExitNoInput); }

}  // namespace
}  // namespace kmsdiag::testing
