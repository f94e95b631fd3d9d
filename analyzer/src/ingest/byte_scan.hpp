// Scans of every byte of a big input, 16 bytes at a time (SSE2, part of every x86-64; a plain loop elsewhere).
// Finding a short string: the event XML scanner looks for every "Event" of a file, and glibc's memmem runs
// at about 2 GB/s on such needles, which made it the scanner's largest cost; testing 16 positions at once
// for the needle's first and last bytes and comparing the rest only where both match is several times
// faster on text. Counting a byte: the compiler leaves std::count a byte at a time at -O2 (7 instructions
// a byte). XML names: the event XML header scan reads every tag name of every event.
#pragma once

#include <cstddef>
#include <string_view>

namespace kmsdiag {

// Offset of the first `needle` in `haystack`, or npos (an empty needle is found at 0).
size_t find_substring(std::string_view haystack, std::string_view needle);

// How many times `c` occurs in `text`.
size_t count_char(std::string_view text, char c);

// The run of ASCII XML name characters (letters, digits, '_', ':', '.', '-') that `text` starts with: its
// length, and the offset of its last ':' (npos when it has none), where a qualified name's local part begins.
struct NameRun {
  size_t length;
  size_t last_colon;
};
NameRun ascii_name_run(std::string_view text);

}  // namespace kmsdiag
