// Getting at the values inside an event record, whichever way the export laid them out:
// one comma-joined <Data>, positional <Data> elements, or only the rendered message. Every value is a view
// into the record (or the text) it was read from, valid as long as that is unchanged: a host log has a
// million events to read, and copying each value would cost an allocation or more each.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/record.hpp"

namespace kmsdiag {

// data.0, data.1, ... in order (stops at the first missing index).
std::vector<std::string_view> data_values(const Record& ev);

// `text` split on `sep`, each piece trimmed; "a, b," -> {"a", "b", ""}.
std::vector<std::string_view> split_trimmed(std::string_view text, char sep);

// The comma-separated KMS payload (12288/12289/12290, layout payload kms-list) as a list of at least `min_fields`
// values. Tries, in order: positional Data[1..] (Data[0] holding the joined string), positional Data[0..], the joined
// string in Data[0], the line after "Info:" in the rendered message. nullopt when none fits.
std::optional<std::vector<std::string_view>> kms_payload(const Record& ev, size_t min_fields);

// The text after `needle` ("Info:") in the rendered message: the rest of that line, or the next non-empty
// line; "" when the message has no `needle`.
std::string_view message_after(const Record& ev, std::string_view needle);

// The first line of the rendered message containing `needle` (case-sensitive), trimmed; "" when none.
std::string_view message_line_with(const Record& ev, std::string_view needle);

// The first text enclosed in matching quotes (' " `) in `text`; "" when none.
std::string_view first_quoted(std::string_view text);

// "A=1;B=two" -> {A: 1, B: two}. A segment like "Name (REG_SZ) =AppId=55c9..." keeps its last key=value.
std::map<std::string_view, std::string_view> key_values(std::string_view text, char sep = ';');

}  // namespace kmsdiag
