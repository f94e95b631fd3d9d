// Text from the input made inert in Markdown: names are attacker-controlled, and a machine called
// "[click](http://x)", "<img src=x>", "a|b" or "`" must print as itself, not become a link, HTML, a new
// table column or code. Used by every part of the Markdown report that shows input text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kmsdiag {

// One line of inline text: control characters and bytes that are not UTF-8 as visible escapes (printable()),
// so no newline can start a heading or a table row; then every character Markdown (CommonMark and GitHub's)
// gives a meaning to, backslash-escaped. Safe inside a paragraph, a list item and a table cell.
std::string markdown_text(std::string_view text);

// A fenced code block holding `lines` as they are (made printable): the fence is one backtick longer
// than any run of backticks inside, so nothing can close it early.
std::string markdown_fence(const std::vector<std::string>& lines, std::string_view info = "");

}  // namespace kmsdiag
