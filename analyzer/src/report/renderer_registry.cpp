#include "report/renderer_registry.hpp"

#include <array>

#include "report/explain_report.hpp"
#include "report/health_output.hpp"
#include "report/live_report.hpp"

namespace kmsdiag {
namespace {

void analysis_json(const Analysis& a, std::ostream& out, const TerminalOptions&) { render_json(a, out); }

constexpr std::array kRenderers = {
    Renderer{.name = "text",
             .analysis = render_terminal,
             .live = render_live_text,
             .health = render_nagios,
             .explanations = render_explanations_text},
    Renderer{.name = "json",
             .analysis = analysis_json,
             .live = render_live_json,
             .health = render_health_json,
             .explanations = render_explanations_json},
    Renderer{.name = "md", .analysis = render_markdown},
    Renderer{.name = "html",
             .analysis = [](const Analysis& a, std::ostream& out, const TerminalOptions&) { render_html(a, out); }},
    Renderer{.name = "prometheus", .health = render_prometheus},
};

}  // namespace

bool Renderer::renders(Document d) const {
  switch (d) {
    case Document::analysis:
      return analysis != nullptr;
    case Document::live:
      return live != nullptr;
    case Document::health:
      return health != nullptr;
    case Document::explanation:
      return explanations != nullptr;
  }
  return false;
}

std::span<const Renderer> renderers() { return kRenderers; }

const Renderer* find_renderer(std::string_view name, Document document) {
  for (const Renderer& r : kRenderers)
    if (r.name == name && r.renders(document)) return &r;
  return nullptr;
}

std::vector<std::string> format_names(Document document) {
  std::vector<std::string> names;
  for (const Renderer& r : kRenderers)
    if (r.renders(document)) names.emplace_back(r.name);
  return names;
}

}  // namespace kmsdiag
