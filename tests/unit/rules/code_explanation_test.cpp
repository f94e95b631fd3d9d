// `kmsdiag explain` over the shipped tables and rules: codes in any form, Activation IDs, Japanese texts where
// texts-ja.yaml has them (English otherwise), and inputs that are unknown or not a code at all.
#include <gtest/gtest.h>

#include <cstdlib>

#include "rules/code_explanation.hpp"
#include "rules/rule_parser.hpp"

namespace kmsdiag {
namespace {

const std::string kRules = std::string(KMSDIAG_SOURCE_DIR) + "/rules";

struct Shipped {
  Knowledge kb = Knowledge::load(kRules + "/tables");
  std::vector<RuleError> errors;
  RuleSet rules = RuleSet::load(kRules, errors);
  CauseCatalog causes = *load_cause_catalog(kRules + "/causes.yaml", errors);
};

const Shipped& shipped() {
  static const Shipped s;
  return s;
}

Explanation ask(const std::string& query, const std::string& language = "en") {
  const Shipped& s = shipped();
  return explain(query, language, s.kb, s.rules, s.causes);
}

TEST(Explanation, ErrorCodeInAnyFormGivesSymbolCauseCommandsAndSource) {
  for (const char* form : {"0xC004F074", "0xc004f074", "C004F074", "-1073418124"}) {
    const Explanation e = ask(form);
    ASSERT_EQ(e.kind, Explanation::Kind::error) << form;
    EXPECT_EQ(e.canonical, "0xC004F074");
    EXPECT_EQ(e.error->info->symbol, "SL_E_VL_BINDING_SERVICE_UNAVAILABLE");
    EXPECT_EQ(e.error->info->cause, "host-unreachable");
    EXPECT_NE(e.error->cause_description.find("TCP 1688"), std::string::npos);
    EXPECT_NE(e.error->info->source.find("https://learn.microsoft.com/"), std::string::npos);
    EXPECT_TRUE(e.error->translation_source.empty());
  }
  const Explanation f074 = ask("0xC004F074");
  const auto& steps = f074.error->remediation;
  EXPECT_TRUE(std::any_of(steps.begin(), steps.end(),
                          [](const std::string& s) { return s.find("Test-NetConnection") != std::string::npos; }));
  // Each step once, though several rules of the cause may share it.
  for (size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(std::count(steps.begin(), steps.end(), steps[i]), 1) << steps[i];
}

TEST(Explanation, JapaneseWhereTheTablesHaveItEnglishElsewhere) {
  const Explanation ja = ask("0x8007232B", "ja");
  ASSERT_EQ(ja.kind, Explanation::Kind::error);
  EXPECT_NE(ja.error->meaning.find("DNS 名がありません"), std::string::npos);
  EXPECT_NE(ja.error->translation_source.find("support.microsoft.com/ja-jp"), std::string::npos);
  EXPECT_NE(ja.error->cause_description.find("SRV レコード"), std::string::npos);
  // A code texts-ja.yaml does not list keeps its English text.
  const Explanation untranslated = ask("0xC004F034", "ja");
  ASSERT_EQ(untranslated.kind, Explanation::Kind::error);
  EXPECT_EQ(untranslated.error->meaning, untranslated.error->info->meaning);
  EXPECT_TRUE(untranslated.error->translation_source.empty());
}

TEST(Explanation, ActivationIdGivesProductCountLineAndKeyGroup) {
  const Explanation e = ask("{73111121-5638-40F6-BC11-F1D7B0D64300}");
  ASSERT_EQ(e.kind, Explanation::Kind::product);
  EXPECT_EQ(e.product->info->name, "Windows 10/11 Enterprise");
  EXPECT_EQ(e.product->info->n_policy, 25);
  ASSERT_NE(e.product->count_line, nullptr);
  EXPECT_EQ(e.product->count_line->id, "windows");
  ASSERT_NE(e.product->key_group, nullptr);
  EXPECT_EQ(e.product->key_group->id, "ws2016");
  // A host's own licence has no key group that activates it.
  const Explanation host = ask("98ebfe73-2084-4c97-932c-c0cd1643bea7");
  ASSERT_EQ(host.kind, Explanation::Kind::product);
  EXPECT_TRUE(host.product->info->kms_host);
  EXPECT_EQ(host.product->key_group, nullptr);
}

TEST(Explanation, UnknownAndNotUnderstoodInputsAreToldApart) {
  EXPECT_EQ(ask("0xC004FFFF").kind, Explanation::Kind::unknown_code);
  EXPECT_EQ(ask("00000000-0000-0000-0000-000000000001").kind, Explanation::Kind::unknown_guid);
  EXPECT_EQ(ask("activation failed").kind, Explanation::Kind::not_understood);
  EXPECT_EQ(ask("0xC004F074X").kind, Explanation::Kind::not_understood);
}

TEST(Explanation, LanguageFollowsTheLocale) {
  const char* saved = std::getenv("LC_ALL");
  const std::string restore = saved ? saved : "";
  setenv("LC_ALL", "ja_JP.UTF-8", 1);
  EXPECT_EQ(locale_language(), "ja");
  setenv("LC_ALL", "C.UTF-8", 1);
  EXPECT_EQ(locale_language(), "en");
  if (saved)
    setenv("LC_ALL", restore.c_str(), 1);
  else
    unsetenv("LC_ALL");
}

}  // namespace
}  // namespace kmsdiag
