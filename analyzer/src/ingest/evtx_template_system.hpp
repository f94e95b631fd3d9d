// The shortcut for events not about activation: most of a customer's log is other software's events,
// counted by their System element alone (provider, channel, id, time, record id). Every record of such
// an event instantiates a template the chunk defines once, and which parts of its System element are
// literal and which substitution fills the others is the same for every instance. So each template is
// walked once per chunk without values to learn that (TemplateSystem), and each record then reads just
// those substitution values: no token walk. Whatever the shortcut cannot describe exactly (values in
// nested templates, null or differently typed values where the walk would go otherwise, bytes that do
// not fit their type, damaged data) is left to the full walk, so the result is the walk's.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "ingest/evtx_binxml.hpp"
#include "ingest/evtx_record_builder.hpp"

namespace kmsdiag::evtx {

// Where the System values of one template definition come from.
struct TemplateSystem {
  // A text is the concatenation of its parts: literal text of the template, or substitution `sub`.
  struct Part {
    bool is_sub = false;
    uint32_t sub = 0;
    std::string literal;
  };
  using Text = std::vector<Part>;
  // Provider's Name and EventSourceName attributes in document order (EventSourceName counts only
  // while no Name gave a provider).
  struct ProviderAttr {
    bool is_name = false;
    Text text;
  };
  // A substitution the System element references, and what its value must be for the walk to go
  // exactly as when the template was learned.
  struct Use {
    enum class Rule : uint8_t {
      kSame,     // a value read: of the type seen when learning, not null
      kFits,     // shown text that only has to fit its type (a bad value is a problem); may be null if nullable
      kIgnored,  // delivered where nothing keeps it; may be null if nullable
    };
    uint32_t sub = 0;
    Rule rule = Rule::kIgnored;
    uint8_t type = 0;  // kSame: the type seen when learning
    // A null value skips nothing that matters: content of an element that holds no value that is read,
    // or an attribute's only value.
    bool nullable = false;
  };

  bool usable = false;  // false: every instance takes the full walk
  uint32_t count = 0;   // substitution values of the instance it was learned from
  std::vector<ProviderAttr> provider;
  Text channel, event_id, record_id;
  bool time_is_sub = false;
  uint32_t time_sub = 0;
  int64_t time_ms = kNoTime;  // literal TimeCreated (or none)
  std::vector<Use> uses;
};

// The templates of one chunk, learned on first use.
class TemplateSystems {
 public:
  void set_chunk() { templates_.clear(); }  // template definitions are chunk-relative
  // Reads the System values of the record [begin, end) of the chunk through its template into
  // `builder` (just reset) and classifies it. True when the event is unused(): the record is done.
  // False when the event is about activation or the shortcut cannot describe the record: reset the
  // builder and walk the record. Throws WorkBudgetExceeded only.
  bool read(BinXmlDecoder& decoder, uint32_t begin, uint32_t end, RecordBuilder& builder);

 private:
  bool render(const BinXmlDecoder& decoder, const TemplateSystem::Text& text, std::string& out);
  bool values_fit(const BinXmlDecoder& decoder, const TemplateSystem& t);

  std::unordered_map<uint32_t, TemplateSystem> templates_;  // by definition offset in the chunk
  std::string provider_, channel_, event_id_, record_id_, scratch_;
  uint64_t read_bytes_ = 0;  // value bytes read for the current record
};

}  // namespace kmsdiag::evtx
