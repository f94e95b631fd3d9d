// The name of a zip member, decoded to printable UTF-8. A zip stores names as UTF-8 only when it sets
// the UTF-8 flag (general purpose bit 11); older tools, Windows Explorer among them, store the bytes of
// the machine's OEM code page instead: CP932 on a Japanese Windows, CP437 (the zip standard's) elsewhere.
#pragma once

#include <string>
#include <string_view>

namespace kmsdiag {

// `stored`: the name's bytes as the archive holds them (names flagged UTF-8 already validated by the
// archive library). Valid UTF-8 stays as it is; a name that decodes as CP932 into Japanese text is
// CP932; anything else is CP437, where every byte means a character. Control characters are escaped.
std::string zip_member_name(std::string_view stored);

}  // namespace kmsdiag
