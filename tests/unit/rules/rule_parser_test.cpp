// Rule-file validation: every mistake is reported with its file and line, the bad rule is left out,
// and the good ones still load.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

namespace kmsdiag::testing {
namespace {

class RuleParserTest : public ::testing::Test {
 protected:
  // Loads the folder; expects exactly one error, in `file`, and returns it.
  RuleError only_error(const std::string& file) {
    std::vector<RuleError> errors;
    rules_.load(errors);
    if (errors.size() != 1) {
      ADD_FAILURE() << "expected one error, got " << errors.size();
      for (const auto& e : errors) ADD_FAILURE() << e.describe();
      return {};
    }
    EXPECT_EQ(errors[0].file, rules_.path(file));
    return errors[0];
  }
  ScratchRules rules_;
};

const char* kGoodMatch = "  kind: k\n";

TEST_F(RuleParserTest, GoodRuleLoads) {
  rules_.write("good.yaml", rule_text("good", kGoodMatch));
  EXPECT_EQ(rules_.load_clean().size(), 1u);
}

TEST_F(RuleParserTest, YamlSyntaxErrorHasLine) {
  rules_.write("bad.yaml", "id: bad\ncause: root\ntitle: [unclosed\nseverity: error\n");
  const RuleError e = only_error("bad.yaml");
  EXPECT_GE(e.line, 3);
  EXPECT_NE(e.message.find("YAML syntax error"), std::string::npos);
}

TEST_F(RuleParserTest, UnknownKeysAtEachLevel) {
  rules_.write("top.yaml", rule_text("top", kGoodMatch, "x", "colour: red\n"));
  EXPECT_EQ(only_error("top.yaml").line, 9);
  std::filesystem::remove(rules_.path("top.yaml"));
  rules_.write("m.yaml", rule_text("m", "  kind: k\n  wher: {a: 1}\n"));
  const RuleError e = only_error("m.yaml");
  EXPECT_EQ(e.line, 7);
  EXPECT_NE(e.message.find("unknown key 'wher' in match"), std::string::npos);
}

TEST_F(RuleParserTest, MissingRequiredKey) {
  rules_.write("nt.yaml",
               "id: nt\ncause: root\nseverity: error\nmatch: {kind: k}\nexplain: x\nremediation: [y]\n"
               "examples: {positive: [{kind: a}], negative: [{kind: b}]}\n");
  const RuleError e = only_error("nt.yaml");
  EXPECT_EQ(e.line, 1);
  EXPECT_NE(e.message.find("missing required key 'title'"), std::string::npos);
}

TEST_F(RuleParserTest, BadSeverity) {
  std::string text = rule_text("sev", kGoodMatch);
  text.replace(text.find("severity: error"), 15, "severity: fatal");
  rules_.write("sev.yaml", text);
  const RuleError e = only_error("sev.yaml");
  EXPECT_EQ(e.line, 3);
  EXPECT_NE(e.message.find("severity"), std::string::npos);
}

TEST_F(RuleParserTest, BadOperatorNamesTheOperator) {
  rules_.write("op.yaml", rule_text("op", "  kind: k\n  where:\n    count: {gte: 2}\n"));
  const RuleError e = only_error("op.yaml");
  EXPECT_EQ(e.line, 8);
  EXPECT_NE(e.message.find("unknown operator 'gte'"), std::string::npos);
}

TEST_F(RuleParserTest, BadRegexCarriesRe2Message) {
  rules_.write("re.yaml", rule_text("re", "  kind: k\n  where:\n    host:\n      regex: '(kms'\n"));
  const RuleError e = only_error("re.yaml");
  EXPECT_EQ(e.line, 9);
  EXPECT_NE(e.message.find("missing )"), std::string::npos) << e.message;
}

TEST_F(RuleParserTest, BadWindowUnit) {
  rules_.write("win.yaml", rule_text("win", "  kind: k\n  group_by: [a]\n  window: 30w\n  having: {count: {ge: 2}}\n"));
  const RuleError e = only_error("win.yaml");
  EXPECT_EQ(e.line, 8);
  EXPECT_NE(e.message.find("bad window '30w'"), std::string::npos);
}

TEST_F(RuleParserTest, HavingMustNameAggregates) {
  rules_.write("hv.yaml", rule_text("hv", "  kind: k\n  having:\n    machines: {ge: 2}\n"));
  const RuleError e = only_error("hv.yaml");
  EXPECT_EQ(e.line, 8);
  EXPECT_NE(e.message.find("not an aggregate"), std::string::npos);
}

TEST_F(RuleParserTest, UnknownCauseAndUnknownExplains) {
  std::string text = rule_text("c", kGoodMatch, "x", "explains: [root-of-all-evil]\n");
  text.replace(text.find("cause: root"), 11, "cause: mystery");
  rules_.write("c.yaml", text);
  std::vector<RuleError> errors;
  rules_.load(errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].line, 2);
  EXPECT_NE(errors[0].message.find("unknown cause 'mystery'"), std::string::npos);
  EXPECT_EQ(errors[1].line, 9);
  EXPECT_NE(errors[1].message.find("unknown cause 'root-of-all-evil'"), std::string::npos);
}

TEST_F(RuleParserTest, IdMustEqualFileName) {
  rules_.write("name.yaml", rule_text("other-name", kGoodMatch));
  const RuleError e = only_error("name.yaml");
  EXPECT_EQ(e.line, 1);
  EXPECT_NE(e.message.find("must equal the file name"), std::string::npos);
}

TEST_F(RuleParserTest, ExamplesMissingOrEmpty) {
  rules_.write("ex.yaml",
               "id: ex\ncause: root\nseverity: error\ntitle: T\nmatch: {kind: k}\nexplain: x\nremediation: [y]\n"
               "examples:\n  positive: [{kind: a}]\n  negative: []\n");
  const RuleError e = only_error("ex.yaml");
  EXPECT_EQ(e.line, 10);
  EXPECT_NE(e.message.find("negative must be a non-empty list"), std::string::npos);
  std::filesystem::remove(rules_.path("ex.yaml"));
  rules_.write("noex.yaml",
               "id: noex\ncause: root\nseverity: error\ntitle: T\nmatch: {kind: k}\nexplain: x\nremediation: [y]\n");
  EXPECT_NE(only_error("noex.yaml").message.find("'examples'"), std::string::npos);
}

TEST_F(RuleParserTest, BadTemplateAndUnknownGroupPlaceholder) {
  rules_.write("t1.yaml", rule_text("t1", kGoodMatch, "count {count"));
  EXPECT_NE(only_error("t1.yaml").message.find("unclosed '{'"), std::string::npos);
  std::filesystem::remove(rules_.path("t1.yaml"));
  rules_.write("t2.yaml", rule_text("t2", kGoodMatch, "CMID {group.cmid}"));
  EXPECT_NE(only_error("t2.yaml").message.find("not in group_by"), std::string::npos);
}

TEST_F(RuleParserTest, BadRuleIsLeftOutOthersLoad) {
  rules_.write("a-good.yaml", rule_text("a-good", kGoodMatch));
  rules_.write("b-bad.yaml", rule_text("b-bad", "  kind: k\n  where: {x: {bogus: 1}}\n"));
  rules_.write("c-good.yaml", rule_text("c-good", kGoodMatch));
  rules_.write("notes.txt", "not a rule");
  std::vector<RuleError> errors;
  const RuleSet set = rules_.load(errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, rules_.path("b-bad.yaml"));
  ASSERT_EQ(set.size(), 2u);
}

TEST_F(RuleParserTest, MissingCatalogIsReported) {
  std::filesystem::remove(rules_.path("causes.yaml"));
  rules_.write("r.yaml", rule_text("r", kGoodMatch));
  std::vector<RuleError> errors;
  rules_.load(errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, rules_.path("causes.yaml"));
}

TEST_F(RuleParserTest, DescribeIsFileColonLine) {
  EXPECT_EQ((RuleError{"r.yaml", 7, "bad"}).describe(), "r.yaml:7: bad");
  EXPECT_EQ((RuleError{"r.yaml", 0, "bad"}).describe(), "r.yaml: bad");
}

}  // namespace
}  // namespace kmsdiag::testing
