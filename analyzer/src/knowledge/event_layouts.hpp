// Licensing event payload layouts (rules/tables/event-layouts.yaml): for each event id, the fact kind it
// yields, how its payload is extracted and which payload position becomes which fact field, of which type.
// The interpreter (interpret/event_interpreter.cpp) runs them; a new event whose payload fits an existing
// extraction strategy and field types is a table edit only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kmsdiag {

class Knowledge;
class YamlTable;

// Where a payload position is found in the rendered message.
struct MessageLocator {
  enum class Kind {
    after,   // the text after `needle`: the rest of its line, or the next non-empty line
    line,    // the whole line containing `needle`
    from,    // the text from `needle` (included) to the end of its line
    quoted,  // the first quoted text in the line containing `needle`
  };
  Kind kind = Kind::line;
  std::string needle;
};

struct FieldLayout {
  // How a raw value becomes fact fields; the types writing several fields have fixed names (see the table).
  enum class Type {
    text,            // as written (trimmed)
    hresult,         // canonical code; a non-zero code in the field "hresult" is enriched from error-codes.yaml
    error_code,      // as hresult, but set only for a non-zero code (a "last error" slot whose 0 means none)
    status,          // a flag word: canonical hex when it parses, as written otherwise
    guid,            // lower-case GUID, the raw text when not a GUID
    product,         // act_id + product, product_family, product_n
    license_status,  // license_status + license_status_name
    host_port,       // kms_host as written + kms_host_name, kms_port
    iso_time,        // ISO 8601 in, normalised ISO 8601 out; nothing set when it does not parse
    spp_date,        // "2023/11/20:01:21:13" (UTC) -> ISO 8601; "" when not that shape
  };
  enum class Required {
    none,
    malformed,  // the value must read as its type, else the event is malformed (counted, reported)
    ignore,     // the value must be non-empty, else the event is another variant of the id: ignored
  };

  std::string name;
  Type type = Type::text;
  std::optional<size_t> at;  // payload position; none: `value` is a constant
  std::string key;           // when set, the value of key=`key` in the position's `;` list
  std::string value;         // the constant
  Required required = Required::none;
  std::vector<std::pair<std::string, std::string>> values;  // raw -> value before the type applies; others unset
};

struct EventLayout {
  // Where the positional payload comes from.
  enum class Payload {
    kms_list,  // the comma list of 12288/12289/12290 (kms_payload: positional Data, joined Data[0], or Info: line)
    data,      // Data[0..], each trimmed; the rendered message (per-position locators) when Data does not fit
  };

  uint32_t id = 0;
  std::string kind;
  Payload payload = Payload::data;
  size_t min_fields = 0;                               // kms_list: fewer is malformed
  std::vector<std::optional<MessageLocator>> message;  // data: by position
  std::vector<FieldLayout> fields;                     // in the order the fact's fields are written
  // Nothing reads this layout's facts (EventLayouts::count_only_unread): its events are counted as about
  // activation and dated, never decoded. Set only where the payload cannot change that outcome.
  bool counted_only = false;
};

class EventLayouts {
 public:
  // The layout for an "event_id" value ("12290", " 12290 "); nullptr when the id has none.
  const EventLayout* find(std::string_view event_id) const;
  bool add(EventLayout layout);  // false when the id already has one
  // Marks counted_only each layout whose facts `read` says nothing reads and whose events yield a fact
  // whatever their payload (no field required, no KMS list that may be malformed): for those, counting
  // and dating the event says all a fact would. Most of a client's KMS-related events are the Software
  // Protection service's own housekeeping (900-903, 16384), which no shipped rule reads.
  void count_only_unread(const std::function<bool(const EventLayout&)>& read);

 private:
  std::unordered_map<uint32_t, EventLayout> by_id_;
};

// Reads event-layouts.yaml into kb.event_layouts; LoadError "file:line: what" on bad data.
void load_event_layouts(const YamlTable& t, Knowledge& kb);

}  // namespace kmsdiag
