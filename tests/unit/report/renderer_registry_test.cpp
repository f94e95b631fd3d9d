#include "report/renderer_registry.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "../probe/live_results.hpp"
#include "analysis_builders.hpp"
#include "report/explanation_tree.hpp"

namespace kmsdiag::testing {
namespace {

using Names = std::vector<std::string>;

TEST(RendererRegistry, EachDocumentOffersTheFormatsThatRenderIt) {
  EXPECT_EQ(format_names(Document::analysis).front(), "text");  // the default comes first
  EXPECT_EQ(format_names(Document::live), (Names{"text", "json"}));
  EXPECT_EQ(format_names(Document::health), (Names{"text", "json", "prometheus"}));
  EXPECT_EQ(format_names(Document::explanation), (Names{"text", "json"}));
  EXPECT_EQ(find_renderer("prometheus", Document::analysis), nullptr);
  EXPECT_EQ(find_renderer("yaml", Document::health), nullptr);
  ASSERT_NE(find_renderer("json", Document::live), nullptr);
  EXPECT_EQ(find_renderer("json", Document::live)->name, "json");
}

// Every analysis format walks the one explanation tree: the root cause comes before the symptom it explains,
// and that before the next root cause.
TEST(RendererRegistry, EveryAnalysisFormatPresentsRootCauseThenItsSymptoms) {
  const Analysis a = clone_analysis();
  for (const std::string& name : format_names(Document::analysis)) {
    std::ostringstream out;
    find_renderer(name, Document::analysis)->analysis(a, out, TerminalOptions{});
    const std::string text = out.str();
    const size_t root = text.find("Cloned machines share one CMID");
    const size_t symptom = text.find("KMS count below the activation threshold");
    const size_t other = text.find("DNS was not checked");
    ASSERT_NE(root, std::string::npos) << name;
    EXPECT_LT(root, symptom) << name;
    EXPECT_LT(symptom, other) << name;
  }
}

TEST(RendererRegistry, EveryLiveAndHealthFormatWritesSomething) {
  const LiveResult r = one_target("records", "open", "kms");
  for (const std::string& name : format_names(Document::live)) {
    std::ostringstream out;
    find_renderer(name, Document::live)->live(r, out);
    EXPECT_NE(out.str().find("corp.example"), std::string::npos) << name;
  }
  for (const std::string& name : format_names(Document::health)) {
    std::ostringstream out;
    find_renderer(name, Document::health)->health(assess_health(r), &r, out);
    EXPECT_FALSE(out.str().empty()) << name;
  }
}

TEST(ExplanationTree, VerdictNamesTheActionableRootCausesAndTheWorstSeverity) {
  const Analysis a = clone_analysis();
  const ExplanationTree tree = explanation_tree(a);
  EXPECT_EQ(tree.verdict.kind, VerdictKind::problems_found);
  EXPECT_EQ(tree.verdict.actionable, 2u);
  EXPECT_EQ(tree.verdict.worst, Severity::critical);
  ASSERT_EQ(tree.verdict.causes.size(), 1u);  // the symptom and the info finding are not root causes of problems
  EXPECT_EQ(tree.verdict.causes[0]->cause, "duplicate-cmid");
  EXPECT_EQ(tree.root_causes, 2u);  // the info finding is a root too, of nothing actionable
  EXPECT_EQ(tree.inputs_skipped, 1u);
  ASSERT_EQ(tree.nodes.size(), 3u);
  EXPECT_EQ(tree.nodes[1].depth, 1u);
  EXPECT_EQ(tree.nodes[1].finding->cause, "below-threshold");
  EXPECT_EQ(to_string(explanation_tree(healthy_analysis()).verdict.kind), "no-problem-found");
}

TEST(ExplanationTree, SiblingsFromTheSameRuleWithTheSameStepsAreMarked) {
  Analysis a;
  a.inputs.push_back(read_input("a.evtx", 1, 1));
  Finding f = finding("never-activated", Severity::error, "Never activated");
  f.remediation = {"slmgr /ato"};
  a.findings = {f, f, f};
  a.findings[2].remediation = {"slmgr /ato", "slmgr /dlv"};
  const ExplanationTree tree = explanation_tree(a);
  ASSERT_EQ(tree.nodes.size(), 3u);
  EXPECT_FALSE(tree.nodes[0].same_steps_as_previous);
  EXPECT_TRUE(tree.nodes[1].same_steps_as_previous);
  EXPECT_FALSE(tree.nodes[2].same_steps_as_previous);  // other steps
}

}  // namespace
}  // namespace kmsdiag::testing
