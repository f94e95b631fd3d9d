// Rules are checked against the record schema at load time: unknown kinds and fields, and operators or
// literals that cannot work on a field's type, are load errors with file:line.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rule_test_support.hpp"
#include "rules/record_schema.hpp"

namespace kmsdiag {
namespace {

using testing::rule_text;
using testing::ScratchRules;

constexpr const char* kSchema = R"(types: {int: whole number}
pseudo:
  machine: {type: text, doc: the machine}
  time: {type: time, doc: when}
  kind: {type: text, doc: the kind}
groups:
  code:
    hresult: {type: hresult, doc: the code}
sections:
  - title: Facts
    kinds:
      attempt:
        from: anything
        machine: the client
        include: [code]
        fields:
          via: {type: enum, values: [kms-client-log, spp-8198], doc: source}
          count: {type: int, doc: the count}
          cmid: {type: guid, doc: the client id}
          product: {type: text, doc: the product}
          activated: {type: bool, doc: activated}
)";

// Loads the scratch folder with the schema check on; returns the errors.
std::vector<RuleError> load_with_schema(const ScratchRules& dir) {
  std::vector<RuleError> errors;
  dir.load(errors, SchemaCheck::on);
  return errors;
}

std::string examples(const std::string& positive = "{kind: attempt, count: 1}") {
  return "examples:\n  positive: [" + positive + "]\n  negative: [{kind: attempt, count: 0}]\n";
}

std::string rule(const std::string& match, const std::string& explain = "x", const std::string& ex = examples()) {
  return "id: r\ncause: root\nseverity: error\ntitle: T\nmatch:\n" + match + "explain: \"" + explain +
         "\"\nremediation: [fix it]\n" + ex;
}

class SchemaCheckTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_.write("schema.yaml", kSchema); }
  // The single error the rule gives, as "file:line: message"; fails the test unless exactly one.
  std::string only_error(const std::string& text) {
    dir_.write("r.yaml", text);
    const auto errors = load_with_schema(dir_);
    EXPECT_EQ(errors.size(), 1u);
    std::string all;
    for (const auto& e : errors) all += e.describe() + "\n";
    return all;
  }
  ScratchRules dir_;
};

TEST_F(SchemaCheckTest, AValidRuleLoads) {
  dir_.write("r.yaml", rule("  kind: attempt\n  where:\n    hresult: 0xC004F038\n    count: {lt: 25}\n"
                            "    via: {in: [spp-8198]}\n  group_by: [cmid]\n",
                            "{values.product} {max.count} {first.hresult} {machine}"));
  EXPECT_TRUE(load_with_schema(dir_).empty());
}

TEST_F(SchemaCheckTest, MisspelledFieldIsRejectedWithFileAndLine) {
  const std::string e = only_error(rule("  kind: attempt\n  where:\n    hresutl: 0xC004F038\n"));
  EXPECT_NE(e.find(dir_.path("r.yaml") + ":8: unknown field 'hresutl'"), std::string::npos) << e;
}

TEST_F(SchemaCheckTest, UnknownKindIsRejected) {
  const std::string e = only_error(rule("  kind: attempts\n  where:\n    count: 1\n"));
  EXPECT_NE(e.find(":6: unknown record kind 'attempts'"), std::string::npos) << e;
}

TEST_F(SchemaCheckTest, RawEventKindIsRejected) {
  const std::string e = only_error(rule("  kind: event\n  where:\n    event_id: 12290\n"));
  EXPECT_NE(e.find("unknown record kind 'event'"), std::string::npos) << e;
}

TEST_F(SchemaCheckTest, OrderedComparisonOnTextIsRejected) {
  const std::string e = only_error(rule("  kind: attempt\n  where:\n    product: {gt: 5}\n"));
  EXPECT_NE(e.find(":8: lt/le/gt/ge compare 'product' by order, but it is text"), std::string::npos) << e;
}

TEST_F(SchemaCheckTest, NumericAggregateOnGuidIsRejected) {
  const std::string e = only_error(rule("  kind: attempt\n  having:\n    max.cmid: {ge: 1}\n"));
  EXPECT_NE(e.find("aggregate 'max.cmid' needs a numeric field, but 'cmid' is guid"), std::string::npos) << e;
}

TEST_F(SchemaCheckTest, EnumValueOutsideItsValuesIsRejected) {
  const std::string e = only_error(rule("  kind: attempt\n  where:\n    via: {in: [spp-8198, slmgr]}\n"));
  EXPECT_NE(e.find("'via' is compared with 'slmgr', which is not one of kms-client-log, spp-8198"), std::string::npos)
      << e;
}

TEST_F(SchemaCheckTest, HresultComparedWithNonCodeIsRejected) {
  const std::string e = only_error(rule("  kind: attempt\n  where:\n    hresult: C004F038\n"));
  EXPECT_NE(e.find("not an error code"), std::string::npos) << e;
}

TEST_F(SchemaCheckTest, RegexWorksOnAnyType) {
  dir_.write("r.yaml", rule("  kind: attempt\n  where:\n    count: {regex: '^2'}\n"));
  EXPECT_TRUE(load_with_schema(dir_).empty());
}

TEST_F(SchemaCheckTest, UnknownFieldInRefTemplateAndGroupByIsRejected) {
  dir_.write("r.yaml", rule("  kind: attempt\n  where:\n    count: {lt: $n_polcy}\n  group_by: [cmdi]\n",
                            "{first.prodcut} {values.x} {y}"));
  EXPECT_EQ(load_with_schema(dir_).size(), 5u);
}

TEST_F(SchemaCheckTest, ExamplesAreCheckedToo) {
  const std::string e =
      only_error(rule("  kind: attempt\n  where:\n    count: 1\n", "x", examples("{kind: attempt, cuont: 1}")));
  EXPECT_NE(e.find("examples.positive: kind 'attempt' has no field 'cuont'"), std::string::npos) << e;
  const std::string typed =
      only_error(rule("  kind: attempt\n  where:\n    count: 1\n", "x", examples("{kind: attempt, activated: yes}")));
  EXPECT_NE(typed.find("attempt.activated = \"yes\" is not a valid bool"), std::string::npos) << typed;
}

TEST_F(SchemaCheckTest, MissingSchemaIsAnError) {
  std::filesystem::remove(dir_.path("schema.yaml"));
  dir_.write("r.yaml", rule("  kind: attempt\n  where:\n    count: 1\n"));
  const auto errors = load_with_schema(dir_);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.front().describe().find("schema.yaml"), std::string::npos);
}

TEST(RecordSchema, ValueTypes) {
  const FieldSpec code{"hresult", ValueType::hresult, {}, ""};
  EXPECT_TRUE(value_has_type(code, "0xC004F074"));
  EXPECT_FALSE(value_has_type(code, "0xc004f074"));
  EXPECT_FALSE(value_has_type(code, "0x19"));
  const FieldSpec flag{"vm", ValueType::boolean, {}, ""};
  EXPECT_TRUE(value_has_type(flag, "1"));
  EXPECT_FALSE(value_has_type(flag, "true"));
  const FieldSpec when{"t", ValueType::time, {}, ""};
  EXPECT_TRUE(value_has_type(when, "2024-01-05T09:00:00Z"));
  EXPECT_FALSE(value_has_type(when, "2010/9/29 21:46"));
}

}  // namespace
}  // namespace kmsdiag
