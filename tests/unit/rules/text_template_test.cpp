#include "rules/text_template.hpp"

#include <gtest/gtest.h>

namespace kmsdiag {
namespace {

std::string render(std::string_view text, const Record& r) {
  std::string error;
  const auto t = TextTemplate::parse(text, error);
  EXPECT_TRUE(t) << error;
  return t ? t->render(RecordLookup(r)) : "";
}

TEST(TextTemplate, ShortFilterCutsACommaListToFiveItems) {
  Record r;
  r.set("machines", "PC1,PC2, PC3,PC4,PC5,PC6,PC7");
  EXPECT_EQ(render("on {machines|short}", r), "on PC1, PC2, PC3, PC4, PC5 … and 2 more");
  r.set("machines", "PC1,PC2");
  EXPECT_EQ(render("{ machines | short }", r), "PC1, PC2");
}

TEST(TextTemplate, UnknownFilterIsALoadError) {
  std::string error;
  EXPECT_FALSE(TextTemplate::parse("{machines|long}", error));
  EXPECT_NE(error.find("unknown template filter 'long'"), std::string::npos) << error;
}

TEST(TextTemplate, MissingValueRendersUnknown) {
  EXPECT_EQ(render("{nothing|short} and {nothing}", Record{}), "(unknown) and (unknown)");
}

}  // namespace
}  // namespace kmsdiag
