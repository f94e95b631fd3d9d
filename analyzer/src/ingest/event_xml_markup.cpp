#include "ingest/event_xml_markup.hpp"

namespace kmsdiag {
namespace {

constexpr std::string_view kEvtxexportLines[] = {"evtxexport ", "No records to export."};

bool is_name_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' || u == '-' ||
         u == '.' || u == ':' || u >= 0x80;
}

// A construct that runs from the start of `view` to the end of `terminator`.
MarkupSpan until(std::string_view view, size_t from, std::string_view terminator, bool complete,
                 Markup kind = Markup::kSkip) {
  const size_t at = view.find(terminator, from);
  if (at != std::string_view::npos) return {kind, at + terminator.size(), 0};
  if (!complete) return {Markup::kNeedMore, 0, 0};
  // Unterminated: not markup after all. Skip up to the next Event start tag at once (not byte by
  // byte), so a run of "<!--" in garbage costs one pass; the tail stays for the next look.
  for (size_t j = 1; (j = view.find('<', j)) != std::string_view::npos; ++j) {
    bool need_more = false;
    if (match_qualified_name(view.substr(j + 1), "Event", true, need_more)) return {Markup::kGarbage, j, 0};
  }
  const size_t tail = kMaxEventNameLookahead + 1;
  return {Markup::kGarbage, view.size() > tail ? view.size() - tail : 1, 0};
}

MarkupSpan classify_tag(std::string_view v, bool complete) {
  if (v.size() < 4 && !complete) return {Markup::kNeedMore, 0, 0};
  if (v.size() < 2) return {Markup::kGarbage, 1, 0};
  if (v[1] == '?') return until(v, 2, "?>", complete);
  if (v.starts_with("<!--")) return until(v, 4, "-->", complete);
  if (v[1] == '!') return until(v, 2, ">", complete);
  bool need_more = false;
  if (v[1] == '/') {
    if (match_qualified_name(v.substr(2), "Events", complete, need_more)) {
      return until(v, 2, ">", complete, Markup::kRootTag);
    }
    if (need_more) return {Markup::kNeedMore, 0, 0};
    return {Markup::kGarbage, 1, 0};
  }
  if (const size_t n = match_qualified_name(v.substr(1), "Event", complete, need_more)) {
    return {Markup::kEventStart, 0, n};
  }
  if (match_qualified_name(v.substr(1), "Events", complete, need_more)) {
    return until(v, 1, ">", complete, Markup::kRootTag);
  }
  if (need_more) return {Markup::kNeedMore, 0, 0};
  return {Markup::kGarbage, 1, 0};
}

}  // namespace

size_t match_qualified_name(std::string_view view, std::string_view local, bool complete, bool& need_more) {
  size_t i = 0;
  while (i < view.size() && i <= kMaxEventNameLookahead && is_name_char(view[i])) ++i;
  if (i == view.size()) {
    // The name may go on: undecided unless no more bytes will come.
    if (!complete && i <= kMaxEventNameLookahead) need_more = true;
    return 0;
  }
  const char boundary = view[i];
  if (!is_xml_space(boundary) && boundary != '>' && boundary != '/') return 0;
  const std::string_view qname = view.substr(0, i);
  const size_t colon = qname.find(':');
  if (colon == 0 || (colon != std::string_view::npos && qname.find(':', colon + 1) != std::string_view::npos)) return 0;
  const std::string_view name = colon == std::string_view::npos ? qname : qname.substr(colon + 1);
  return name == local ? i : 0;
}

MarkupSpan classify_markup(std::string_view v, bool complete) {
  if (is_xml_space(v[0])) {
    size_t n = 1;
    while (n < v.size() && is_xml_space(v[n])) ++n;
    return {Markup::kWhitespace, n, 0};
  }
  if (v[0] == '<') return classify_tag(v, complete);
  for (const std::string_view line : kEvtxexportLines) {
    if (v.size() < line.size() && !complete && line.starts_with(v)) return {Markup::kNeedMore, 0, 0};
    if (v.starts_with(line)) {
      const size_t eol = v.find('\n');
      if (eol != std::string_view::npos) return {Markup::kSkip, eol + 1, 0};
      return complete ? MarkupSpan{Markup::kSkip, v.size(), 0} : MarkupSpan{Markup::kNeedMore, 0, 0};
    }
  }
  // Garbage stops at whitespace too, so a run's size does not depend on where blocks were cut.
  size_t n = 1;
  while (n < v.size() && v[n] != '<' && !is_xml_space(v[n])) ++n;
  return {Markup::kGarbage, n, 0};
}

}  // namespace kmsdiag
