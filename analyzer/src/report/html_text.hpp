// Text from the input made safe inside HTML: machine, file and member names are attacker-controlled (a
// machine named `<script>`, a file name with quotes), and so is every summary built from them.
#pragma once

#include <string>
#include <string_view>

namespace kmsdiag {

// The text as printable() makes it (control characters and bytes that are not UTF-8 shown as escapes), with
// & < > " ' as character references: safe as element content and inside a quoted attribute value, in HTML
// and in the SVG within it.
std::string html_escape(std::string_view text);

// "2024-03-14" for a bucket start or a time; "" for kNoTime.
std::string html_day(int64_t ms);

}  // namespace kmsdiag
