// Which rules folder a run uses: --rules, $KMSDIAG_RULES, the rules installed beside the binary, the
// source tree, ./rules — in that order, each only when the ones before it are not given or not there.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>

#include "cli/rules_location.hpp"

namespace kmsdiag {
namespace {

namespace fs = std::filesystem;

class RulesLocation : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("kmsdiag-rules-location-" + std::to_string(getpid()));
    fs::create_directories(root_ / "usr/bin");
    fs::create_directories(root_ / "usr/share/kmsdiag/rules");
    fs::create_directories(root_ / "src/rules");
    search_.executable = root_ / "usr/bin/kmsdiag";
    search_.installed_from_bin = "../share/kmsdiag/rules";
    search_.source_tree = (root_ / "src/rules").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
  RulesSearch search_;
};

TEST_F(RulesLocation, InstalledRulesBesideTheBinaryComeBeforeTheSourceTree) {
  EXPECT_EQ(find_rules_dir(search_), (root_ / "usr/share/kmsdiag/rules").string());
}

TEST_F(RulesLocation, OptionThenEnvironmentOverrideTheInstalledRules) {
  search_.env = "/from/env";
  EXPECT_EQ(find_rules_dir(search_), "/from/env");
  search_.given = "/from/option";
  EXPECT_EQ(find_rules_dir(search_), "/from/option");
}

TEST_F(RulesLocation, BuildTreeBinaryFallsBackToTheSourceTree) {
  search_.executable = root_ / "build/kmsdiag";  // build/../share/kmsdiag/rules does not exist
  EXPECT_EQ(find_rules_dir(search_), search_.source_tree);
}

TEST_F(RulesLocation, NothingFoundMeansRulesInTheWorkingDirectory) {
  search_.executable.clear();
  search_.source_tree = (root_ / "gone").string();
  EXPECT_EQ(find_rules_dir(search_), "rules");
}

TEST(RulesLocationOfThisProcess, OptionWinsWhateverTheEnvironment) { EXPECT_EQ(resolve_rules_dir("/given"), "/given"); }

}  // namespace
}  // namespace kmsdiag
