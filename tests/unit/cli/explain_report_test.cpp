// `kmsdiag explain` text over the shipped tables: every line under its own label (a missing word once shifted
// every later label by one: the count line read "host key", the references "counts on").
// (Here, not in unit_report: loading the shipped rules publishes their record schema, which types the facts
// of every JSON report rendered later in the same process.)
#include "report/explain_report.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "rules/rule_parser.hpp"

namespace kmsdiag {
namespace {

std::string text_of(const std::string& query, const std::string& language) {
  const std::string dir = std::string(KMSDIAG_SOURCE_DIR) + "/rules";
  static const Knowledge kb = Knowledge::load(dir + "/tables");
  std::vector<RuleError> errors;
  static const RuleSet rules = RuleSet::load(dir, errors);
  static const CauseCatalog causes = *load_cause_catalog(dir + "/causes.yaml", errors);
  std::ostringstream out;
  render_explanations_text({explain(query, language, kb, rules, causes)}, out);
  return out.str();
}

TEST(ExplainReport, EachLineHasItsOwnLabel) {
  const std::string product = text_of("73111121-5638-40f6-bc11-f1d7b0d64300", "en");
  EXPECT_NE(product.find("\n  counts on: Windows (cap 50); threshold 25\n"), std::string::npos) << product;
  EXPECT_NE(product.find("\n  host key: Windows Server 2016 CSVLK (ws2016) or newer\n"), std::string::npos) << product;
  const std::string code = text_of("0xC004F074", "en");
  EXPECT_NE(code.find("\n  references: https://"), std::string::npos) << code;
  const std::string ja = text_of("0x8007232B", "ja");
  EXPECT_NE(ja.find("\n  翻訳の確認先: https://support.microsoft.com/ja-jp/"), std::string::npos) << ja;
  EXPECT_NE(ja.find("\n  参考: https://learn.microsoft.com/"), std::string::npos) << ja;
}

}  // namespace
}  // namespace kmsdiag
