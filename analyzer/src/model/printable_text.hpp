// Text from the input made safe to print anywhere: file and archive member names, and every problem line.
// A name may hold bytes that are not UTF-8 (a Latin-1 file name) or control characters (an escape
// sequence that recolours or clears a terminal, a newline that forges another problem line): printed as
// they are, they break the JSON report or take over the terminal.
#pragma once

#include <string>
#include <string_view>

namespace kmsdiag {

// Valid UTF-8 with every byte that is not UTF-8 and every control character (C0, DEL, C1, and the
// bidirectional controls that reorder what a terminal shows) written as a visible escape: "\x1b",
// "\u202e". Printable text, the escapes included, comes back unchanged, so applying it twice is harmless.
std::string printable(std::string_view text);

// True when the bytes are UTF-8 throughout (no overlong forms, no surrogates).
bool valid_utf8(std::string_view text);

}  // namespace kmsdiag
