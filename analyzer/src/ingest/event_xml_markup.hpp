// Recognizes the constructs that can appear between Windows events in an XML export, at the start
// of a byte view: an Event start tag, what may be skipped (XML declaration, comment, DOCTYPE,
// <Events> root tags, evtxexport's preamble lines) and what is not ours (garbage).
// Shared by format detection (on the head) and the streaming reader (on its block buffer).
#pragma once

#include <cstddef>
#include <string_view>

namespace kmsdiag {

enum class Markup {
  kNeedMore,    // the view ends before the construct can be told apart: supply more bytes
  kWhitespace,  // a run of XML whitespace
  kEventStart,  // "<Event" or "<prefix:Event" followed by whitespace, '>' or '/'
  kRootTag,     // an <Events> or </Events> tag (Event Viewer "Save as XML")
  kSkip,        // other harmless markup, or evtxexport's preamble lines
  kGarbage,     // anything else
};

struct MarkupSpan {
  Markup kind = Markup::kGarbage;
  size_t length = 0;       // bytes the construct spans (all kinds but kEventStart, kNeedMore)
  size_t name_length = 0;  // kEventStart: length of the qualified element name after '<'
};

// Longest construct classify_markup() needs to see to decide (beyond it, an unterminated declaration
// or comment is garbage).
inline constexpr size_t kMaxMarkupLookahead = 64 * 1024;
// Bytes after '<' that always suffice to recognize an Event start tag (prefix length is capped).
inline constexpr size_t kMaxEventNameLookahead = 80;

// Classifies the construct at the start of `view` (non-empty). `complete` says no more bytes will
// follow (end of input or lookahead limit), so kNeedMore is never returned then.
MarkupSpan classify_markup(std::string_view view, bool complete);

// True when `c` is XML whitespace.
inline bool is_xml_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Length of "[prefix:]local" at the start of `view` when followed by a name boundary (whitespace,
// '>' or '/'); 0 when `view` does not start with that name. Sets `need_more` when the view ends
// too early to decide.
size_t match_qualified_name(std::string_view view, std::string_view local, bool complete, bool& need_more);

}  // namespace kmsdiag
