// Domain tables loaded at run time from rules/tables/*.yaml: error codes, products (SKU / activation
// IDs), KMS host key groups and localized label sets. Code asks questions; the answers are data.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/event_layouts.hpp"

namespace kmsdiag {

struct ErrorInfo {
  std::string code;     // canonical "0xC004F074" (upper-case hex, 8 digits)
  std::string symbol;   // "SL_E_VL_BINDING_SERVICE_UNAVAILABLE"
  std::string meaning;  // one sentence
  std::string cause;    // catalog cause this code points to, "" when none
  std::string fix;      // first thing to do
  bool kms = true;      // false: an online (MAK/retail) or generic error, not a KMS cause
  std::string source;   // where the row was checked (a Microsoft URL, or "slerror.h SYMBOL"); "" when not given
};

struct ProductInfo {
  std::string act_id;         // lower-case GUID
  std::string name;           // "Windows Server 2022 Datacenter"
  std::string family;         // "windows-client" | "windows-server" | "office"
  int n_policy = 0;           // activation threshold the product needs (25 / 5)
  std::string min_key_group;  // oldest host key group that can activate it ("ws2016", "win10", ...)
  bool kms_host = false;      // a KMS host's own license (CSVLK SKU): n_policy and min_key_group are unset
  std::string count_line;     // the count it counts on (resolved at load: own, key group's, or its family's)
};

// One of the counts a KMS host keeps (count-lines.yaml): Windows, or one Office version.
struct CountLine {
  std::string id;      // "windows", "office2016"
  std::string name;    // "Office 2016"
  int cap = 0;         // the most the host counts on it (it caches twice the threshold: 50, 10)
  std::string source;  // where the row was checked
  size_t order = 0;    // position in the table
};

struct KeyGroup {
  std::string id;          // "ws2019"
  std::string name;        // "Windows Server 2019 CSVLK"
  int rank = 0;            // newer groups have higher rank within a line (windows / office)
  std::string line;        // "windows" | "office"
  bool servers = true;     // false: a client CSVLK that activates client OSes only
  int server_rank = 0;     // rank that applies to server products (below `rank` for client-only key upgrades)
  bool cumulative = true;  // the line's newer keys also activate older products (false: exact group only)
  std::string count_line;  // the count its products count on (count-lines.yaml); "" when not named
};

// The texts of error-codes.yaml in another language (texts-<lang>.yaml): an error code's meaning and fix, and
// the one-line description of each cause codes point to. A code or cause without a row keeps its English text.
struct LocalizedError {
  std::string meaning;
  std::string fix;
  std::string source;  // the page in that language the text was checked against, or how it was made
};

struct LocalizedTexts {
  std::map<std::string, LocalizedError> errors;  // canonical code -> texts
  std::map<std::string, std::string> causes;     // cause id -> description
};

struct LoadError : std::runtime_error {
  using std::runtime_error::runtime_error;  // message is "file:line: what"
};

class Knowledge {
 public:
  // Loads every table under `dir`; throws LoadError naming file and line on bad data.
  static Knowledge load(const std::string& dir);

  // Accepts "0xc004f074", "0xC004F074", "C004F074", "-1073418124", "hr=0x..." forms.
  const ErrorInfo* error(std::string_view code) const;
  const ProductInfo* product(std::string_view act_id) const;
  const KeyGroup* key_group(std::string_view id) const;
  // Can a host with this key group activate that product? nullopt when either is unknown.
  std::optional<bool> activates(std::string_view key_group, std::string_view act_id) const;
  // The count a host keeps for this product: its own / its key group's / its family's count line, or the
  // table's `unlisted` line for an Activation ID the products table does not list. Null without tables.
  const CountLine* count_line_of(std::string_view act_id) const;
  const CountLine* count_line_of(const ProductInfo* product) const;  // product null: an unlisted ID
  const CountLine* count_line(std::string_view id) const;            // by id; null when unknown
  // Localized label table (e.g. "slmgr"): label text -> canonical key, for every language.
  const std::map<std::string, std::string>* labels(std::string_view table) const;

  // License state number ("0".."6") -> name; "" when unknown.
  std::string_view license_status_name(std::string_view status) const;
  // Is an event from this provider / channel one the interpreters should read (rules/tables/event-sources.yaml)?
  bool is_licensing_source(std::string_view provider, std::string_view channel) const;
  // The layout of an event about activation: from a licensing source, with an id the layouts table
  // lists. Null for any other event, which is only counted as ignored (ignored_event_key). Readers ask
  // it from the System header alone, so they need not build records for the others.
  const EventLayout* activation_layout(std::string_view provider, std::string_view channel,
                                       std::string_view event_id) const;

  // Canonical "0xXXXXXXXX" for any accepted form; "" when not a code.
  static std::string canonical_code(std::string_view text);
  // Lower-case GUID without braces; "" when `text` is not a GUID.
  static std::string canonical_guid(std::string_view text);
  // The same, written to `out` (no allocation: interpreters ask it several times for each of millions of events).
  using GuidText = std::array<char, 36>;
  static std::string_view canonical_guid(std::string_view text, GuidText& out);

  std::map<std::string, ErrorInfo> errors;
  std::map<std::string, ProductInfo, std::less<>> products;  // by canonical_guid
  std::map<std::string, KeyGroup> key_groups;
  std::map<std::string, CountLine> count_lines;     // by id
  std::map<std::string, std::string> family_lines;  // product family -> count line id
  std::string unlisted_line;                        // count line id of an unlisted Activation ID
  std::map<std::string, std::map<std::string, std::string>> label_tables;
  std::map<std::string, std::string> license_status_names;  // "0".."6" -> "Unlicensed", ...
  std::vector<std::string> causes;                          // catalog cause ids error codes may point to
  std::vector<std::string> event_providers;                 // provider-name fragments of licensing events
  std::vector<std::string> kms_channels;                    // channels whose every event is a licensing event
  EventLayouts event_layouts;                               // event id -> payload layout (event-layouts.yaml)
  std::vector<std::string> files;                           // every table file read, in load order
  std::map<std::string, LocalizedTexts> texts;              // language ("ja") -> its texts (texts-*.yaml)
};

}  // namespace kmsdiag
