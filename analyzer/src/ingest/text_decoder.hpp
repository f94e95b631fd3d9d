// Detects a text input's encoding from its first bytes and converts it to UTF-8 while streaming.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ingest/byte_source.hpp"

namespace kmsdiag {

// "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "cp932", or "binary" (not text at all).
std::string detect_encoding(std::string_view head);

// A source yielding UTF-8 for `inner` in `encoding` (BOM dropped). Undecodable bytes become U+FFFD.
std::unique_ptr<ByteSource> make_utf8_source(ByteSource& inner, const std::string& encoding);

// Whole-buffer convenience for detection heads and tests.
std::string to_utf8(std::string_view bytes, const std::string& encoding);

}  // namespace kmsdiag
