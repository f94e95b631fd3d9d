// Every output format, by the name `--format` takes: one table, so the CLI's choices come from it and a
// new format is its renderer's file plus one line in renderer_registry.cpp. A format renders some of the
// four documents kmsdiag writes (an analysis, a live DNS check, a health check, code explanations); the others
// stay null.
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/analysis.hpp"
#include "probe/health_status.hpp"
#include "probe/live_check.hpp"
#include "report/report.hpp"
#include "rules/code_explanation.hpp"

namespace kmsdiag {

enum class Document { analysis, live, health, explanation };

struct Renderer {
  std::string_view name;  // the --format value
  // `kmsdiag analyze`: the Analysis (redacted first when asked, so every format is).
  void (*analysis)(const Analysis&, std::ostream&, const TerminalOptions&) = nullptr;
  // `kmsdiag dns`.
  void (*live)(const LiveResult&, std::ostream&) = nullptr;
  // `kmsdiag check` (and its --prometheus textfile); the LiveResult is null when the check could not run.
  void (*health)(const HealthReport&, const LiveResult*, std::ostream&) = nullptr;
  // `kmsdiag explain`: one explanation per query, in order.
  void (*explanations)(const std::vector<Explanation>&, std::ostream&) = nullptr;

  bool renders(Document d) const;
};

std::span<const Renderer> renderers();

// The renderer of that name that renders the document; null when there is none.
const Renderer* find_renderer(std::string_view name, Document document);

// The names of the formats that render the document, in table order (text first: the default).
std::vector<std::string> format_names(Document document);

}  // namespace kmsdiag
