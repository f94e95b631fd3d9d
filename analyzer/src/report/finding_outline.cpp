#include "report/finding_outline.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace kmsdiag {
namespace {

class OutlineBuilder {
 public:
  explicit OutlineBuilder(const std::vector<Finding>& findings) : findings_(findings), shown_(findings.size(), false) {
    for (size_t i = 0; i < findings.size(); ++i) by_cause_[findings[i].cause].push_back(i);
    children_.resize(findings.size());
    for (size_t i = 0; i < findings.size(); ++i)
      for (const auto& cause : findings[i].explained_by)
        for (size_t parent : present(cause))
          if (parent != i) children_[parent].push_back(i);
    for (auto& c : children_) by_severity(c);
  }

  std::vector<OutlineEntry> build() {
    std::vector<size_t> roots;
    for (size_t i = 0; i < findings_.size(); ++i)
      if (!explained_by_present(i)) roots.push_back(i);
    by_severity(roots);
    for (size_t r : roots) visit(r, 0);
    // Findings only reachable through an explanation cycle have no root: show them at top level.
    for (size_t i = 0; i < findings_.size(); ++i)
      if (!shown_[i]) visit(i, 0);
    return std::move(out_);
  }

 private:
  const std::vector<size_t>& present(const std::string& cause) const {
    static const std::vector<size_t> none;
    const auto it = by_cause_.find(cause);
    return it == by_cause_.end() ? none : it->second;
  }

  bool explained_by_present(size_t i) const {
    for (const auto& cause : findings_[i].explained_by)
      for (size_t parent : present(cause))
        if (parent != i) return true;
    return false;
  }

  void by_severity(std::vector<size_t>& indices) const {
    std::stable_sort(indices.begin(), indices.end(),
                     [&](size_t a, size_t b) { return findings_[a].severity > findings_[b].severity; });
  }

  void visit(size_t i, size_t depth) {
    if (shown_[i]) {
      out_.push_back({i, depth, true});
      return;
    }
    shown_[i] = true;
    on_path_.insert(i);
    out_.push_back({i, depth, false});
    for (size_t child : children_[i])
      if (!on_path_.count(child)) visit(child, depth + 1);
    on_path_.erase(i);
  }

  const std::vector<Finding>& findings_;
  std::map<std::string, std::vector<size_t>> by_cause_;
  std::vector<std::vector<size_t>> children_;
  std::vector<bool> shown_;
  std::set<size_t> on_path_;
  std::vector<OutlineEntry> out_;
};

}  // namespace

std::vector<OutlineEntry> finding_outline(const std::vector<Finding>& findings) {
  return OutlineBuilder(findings).build();
}

size_t actionable_findings(const Analysis& analysis) {
  return static_cast<size_t>(std::count_if(analysis.findings.begin(), analysis.findings.end(),
                                           [](const Finding& f) { return f.severity >= Severity::warning; }));
}

size_t inputs_with_problems(const Analysis& analysis) {
  return static_cast<size_t>(std::count_if(analysis.inputs.begin(), analysis.inputs.end(), [](const InputSummary& in) {
    // A skipped file is a problem only when the ingest stage says so (it was named explicitly or could
    // not be opened): notes and screenshots found while walking a folder are skipped quietly.
    return !in.problems.empty();
  }));
}

bool nothing_analysed(const Analysis& analysis) {
  // An archive's own summary only accounts for the archive: what was analysed are its members.
  return !analysis.live && !analysis.inputs.empty() &&
         std::none_of(analysis.inputs.begin(), analysis.inputs.end(),
                      [](const InputSummary& in) { return in.skipped.empty() && in.format != "zip"; });
}

}  // namespace kmsdiag
