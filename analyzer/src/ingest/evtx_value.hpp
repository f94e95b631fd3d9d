// Text forms of the typed values EVTX substitutions carry (strings, integers, FILETIME, SID, GUID,
// arrays, ...), written straight into a caller's buffer so no intermediate XML is ever built.
// Forms follow what Windows shows in an event's XML view: GUIDs "{upper-case}", times ISO 8601 UTC
// with 7 fraction digits, hex integers "0x…" zero-padded to their width, binary as upper-case hex, array items
// comma-separated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kmsdiag::evtx {

namespace vt {  // value type codes (the array flag 0x80 may be or-ed onto the scalar ones)
inline constexpr uint8_t kNull = 0x00, kString = 0x01, kAnsiString = 0x02, kInt8 = 0x03, kUInt8 = 0x04, kInt16 = 0x05,
                         kUInt16 = 0x06, kInt32 = 0x07, kUInt32 = 0x08, kInt64 = 0x09, kUInt64 = 0x0a, kReal32 = 0x0b,
                         kReal64 = 0x0c, kBool = 0x0d, kBinary = 0x0e, kGuid = 0x0f, kSizeT = 0x10, kFileTime = 0x11,
                         kSysTime = 0x12, kSid = 0x13, kHexInt32 = 0x14, kHexInt64 = 0x15, kEvtHandle = 0x20,
                         kBinXml = 0x21, kEvtXml = 0x23, kArray = 0x80;
}  // namespace vt

// A typed value pointing into a chunk buffer.
struct Value {
  uint8_t type = vt::kNull;
  const uint8_t* data = nullptr;
  uint32_t size = 0;
};

// Appends UTF-16LE text (`bytes` long, odd trailing byte ignored) as UTF-8, stopping at a NUL.
void append_utf16(std::string& out, const uint8_t* data, size_t bytes);

// Steps through the items of an array value (type has vt::kArray): string arrays are NUL-separated
// UTF-16, the others fixed-size items. Start with offset 0; false when there are no more items (or the
// array's size does not fit its item size).
bool next_array_item(const Value& array, uint32_t& offset, Value& item);

// Appends the text form of `v` (never type kBinXml: the decoder expands those). Returns false, having
// appended nothing, when the bytes do not fit the type (e.g. a 3-byte UInt32).
bool append_value(std::string& out, const Value& v);
// Whether append_value() would append `v`'s text, told without making it: the template shortcut asks this
// of every value of an event's System element that it shows nowhere (Version, Task, Keywords, Execution...).
bool value_fits(const Value& v);

// 100 ns ticks since 1601 -> ms since 1970.
int64_t filetime_to_ms(uint64_t filetime);

// UTC ms of a time value (FILETIME, SYSTEMTIME, or ISO text); nullopt when it is none of these.
std::optional<int64_t> value_time_ms(const Value& v);

}  // namespace kmsdiag::evtx
