#include "report/terminal_inputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "report/finding_outline.hpp"

namespace kmsdiag {
namespace {

constexpr size_t kColumns = 6;
using Row = std::array<std::string, kColumns>;

Row row_of(const InputSummary& in) {
  std::string status = "ok";
  if (!in.skipped.empty())
    status = "skipped: " + in.skipped;
  else if (!in.problems.empty())
    status = count_of(in.problems.size() + in.problems_not_listed, "problem", "problems");
  return {in.path,
          in.format.empty() ? "-" : in.format,
          in.encoding.empty() ? "-" : in.encoding,
          group_digits(in.records),
          group_digits(in.kms_records),
          status};
}

}  // namespace

void render_input_table(const Analysis& analysis, std::ostream& out, const TerminalOptions& options,
                        const Palette& palette) {
  std::vector<const InputSummary*> listed;
  for (const auto& in : analysis.inputs)
    if (options.verbose || !in.problems.empty() || !in.skipped.empty()) listed.push_back(&in);
  if (listed.empty()) return;

  const std::string title =
      options.verbose ? fmt::format("Inputs ({}):", analysis.inputs.size())
                      : fmt::format("Inputs with problems ({} of {}):", listed.size(), analysis.inputs.size());
  out << "\n" << palette.paint(title, Style::bold) << "\n";
  std::vector<Row> rows = {{"file", "format", "encoding", "records", "kms", "status"}};
  for (const auto* in : listed) rows.push_back(row_of(*in));
  std::array<size_t, kColumns> width{};
  for (const auto& r : rows)
    for (size_t c = 0; c < kColumns; ++c) width[c] = std::max(width[c], r[c].size());

  for (size_t i = 0; i < rows.size(); ++i) {
    std::string line = "  ";
    for (size_t c = 0; c < kColumns; ++c) {
      const bool numeric = c == 3 || c == 4;
      line += numeric ? fmt::format("{:>{}}", rows[i][c], width[c]) : fmt::format("{:<{}}", rows[i][c], width[c]);
      if (c + 1 < kColumns) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << (i == 0 ? palette.paint(line, Style::dim) : line) << "\n";
    if (i == 0) continue;
    const auto& problems = listed[i - 1]->problems;
    const size_t shown = std::min(problems.size(), options.sample);
    for (size_t p = 0; p < shown; ++p) out << "      " << problems[p].describe() << "\n";
    const uint64_t more = problems.size() - shown + listed[i - 1]->problems_not_listed;
    if (more > 0) out << "      … and " << group_digits(more) << " more\n";
  }
}

void render_ignored_events(const Analysis& analysis, std::ostream& out, const TerminalOptions& options) {
  if (analysis.ignored_events.empty()) return;
  std::vector<std::pair<std::string, uint64_t>> kinds(analysis.ignored_events.begin(), analysis.ignored_events.end());
  std::stable_sort(kinds.begin(), kinds.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  uint64_t total = 0;
  std::vector<std::string> items;
  for (const auto& [name, n] : kinds) {
    total += n;
    items.push_back(fmt::format("{} ×{}", name, group_digits(n)));
  }
  out << "\nIgnored " << count_of(total, "event", "events") << " not about activation ("
      << summarise_list(items, items.size(), options.sample, "kind", "kinds") << ")\n";
}

}  // namespace kmsdiag
