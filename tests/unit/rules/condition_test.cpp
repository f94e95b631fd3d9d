// Each comparison operator, through a loaded rule: does a single record match `where`?
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

namespace kmsdiag::testing {
namespace {

class ConditionTest : public ::testing::Test {
 protected:
  // True when a rule with this `where` block (YAML flow map) yields a finding for `r`.
  bool matches(const std::string& where, const Record& r) {
    rules_.write("w.yaml", rule_text("w", "  kind: k\n  where: " + where + "\n"));
    const RuleSet set = rules_.load_clean();
    EXPECT_EQ(set.size(), 1u);
    return !set.evaluate({r}).empty();
  }
  ScratchRules rules_;
};

TEST_F(ConditionTest, ScalarIsNumericOrCaseInsensitiveEquality) {
  const Record r = rec("k", "PC1", "", {{"hresult", "0xC004F038"}, {"count", "25"}, {"name", "Kms1"}});
  EXPECT_TRUE(matches("{hresult: \"0xc004f038\"}", r));
  EXPECT_TRUE(matches("{count: 0x19}", r));  // both numbers: 0x19 == 25
  EXPECT_TRUE(matches("{name: KMS1}", r));
  EXPECT_FALSE(matches("{name: KMS2}", r));
  EXPECT_FALSE(matches("{missing: x}", r));
}

TEST_F(ConditionTest, OrderingOperatorsCompareNumbers) {
  const Record r = rec("k", "PC1", "", {{"count", "9"}, {"n_policy", "25"}});
  EXPECT_TRUE(matches("{count: {lt: 10}}", r));  // numeric, not text ("9" > "10" as text)
  EXPECT_TRUE(matches("{count: {le: 9}}", r));
  EXPECT_FALSE(matches("{count: {gt: 9}}", r));
  EXPECT_TRUE(matches("{count: {ge: 9}}", r));
  EXPECT_TRUE(matches("{count: {eq: 9.0}}", r));
  EXPECT_TRUE(matches("{count: {ne: 8}}", r));
  EXPECT_TRUE(matches("{count: {ge: 1, lt: 10}}", r));  // two operators on one field: both must hold
  EXPECT_FALSE(matches("{count: {ge: 1, lt: 5}}", r));
}

TEST_F(ConditionTest, ReferencesCompareWithAnotherFieldOfTheRecord) {
  const Record r = rec("k", "PC1", "", {{"count", "4"}, {"n_policy", "25"}, {"empty", ""}});
  EXPECT_TRUE(matches("{count: {lt: $n_policy}}", r));
  EXPECT_FALSE(matches("{count: {ge: $n_policy}}", r));
  EXPECT_FALSE(matches("{count: {lt: $empty}}", r));   // a reference without a value never holds...
  EXPECT_TRUE(matches("{count: {ne: $nothing}}", r));  // ...except for negations
}

TEST_F(ConditionTest, RegexIsPartialMatchAndNotRegexNegates) {
  const Record r = rec("k", "PC1", "", {{"kms_host", "kms1.contoso.com:1688"}});
  EXPECT_TRUE(matches("{kms_host: {regex: 'contoso'}}", r));
  EXPECT_FALSE(matches("{kms_host: {regex: '^contoso'}}", r));
  EXPECT_TRUE(matches("{kms_host: {regex: ':1688$'}}", r));
  EXPECT_FALSE(matches("{kms_host: {not_regex: 'contoso'}}", r));
  EXPECT_TRUE(matches("{other: {not_regex: 'x'}}", r));
}

TEST_F(ConditionTest, ExistsTreatsEmptyAsAbsent) {
  const Record r = rec("k", "PC1", "", {{"cmid", "abc"}, {"n_policy", ""}});
  EXPECT_TRUE(matches("{cmid: {exists: true}}", r));
  EXPECT_FALSE(matches("{cmid: {exists: false}}", r));
  EXPECT_TRUE(matches("{n_policy: {exists: false}}", r));
  EXPECT_TRUE(matches("{absent: {exists: false}}", r));
}

TEST_F(ConditionTest, InAndNotIn) {
  const Record r = rec("k", "PC1", "", {{"license_status", "2"}});
  EXPECT_TRUE(matches("{license_status: {in: [0, 2, 5]}}", r));
  EXPECT_FALSE(matches("{license_status: {in: [1, 3]}}", r));
  EXPECT_TRUE(matches("{license_status: {not_in: [1, 3]}}", r));
  EXPECT_FALSE(matches("{license_status: {not_in: [2]}}", r));
}

TEST_F(ConditionTest, PseudoFields) {
  const Record r = rec("k", "PC1", "2024-01-05T09:00:00Z");
  EXPECT_TRUE(matches("{machine: pc1}", r));
  EXPECT_TRUE(matches("{kind: k}", r));
  EXPECT_TRUE(matches("{time: {ge: '2024-01-01T00:00:00Z'}}", r));  // ISO times order as text
  EXPECT_FALSE(matches("{time: {lt: '2024-01-05'}}", r));
}

TEST_F(ConditionTest, AnyNeedsOneAlternativeInFull) {
  rules_.write("w.yaml", rule_text("w", "  kind: k\n  any:\n    - {a: 1, b: 1}\n    - {c: 1}\n"));
  const RuleSet set = rules_.load_clean();
  EXPECT_EQ(set.evaluate({rec("k", "P", "", {{"a", "1"}, {"b", "1"}})}).size(), 1u);
  EXPECT_EQ(set.evaluate({rec("k", "P", "", {{"a", "1"}, {"b", "0"}})}).size(), 0u);
  EXPECT_EQ(set.evaluate({rec("k", "P", "", {{"c", "1"}})}).size(), 1u);
  EXPECT_EQ(set.evaluate({rec("other", "P", "", {{"c", "1"}})}).size(), 0u);  // kind must match too
}

}  // namespace
}  // namespace kmsdiag::testing
