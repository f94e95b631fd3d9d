// The shortcut for the events of a log: most of a customer's log is other software's events, counted by
// their System element alone (provider, channel, id, time, record id), and the rest, the events about
// activation, are read whole. Every record of an event instantiates a template the chunk defines once, and
// which parts of the event are literal and which substitution fills the others is the same for every
// instance. So each template is walked once per chunk without values to learn that (TemplateSystem), and
// each record then reads just those substitution values: no token walk. Whatever the shortcut cannot
// describe exactly (values in nested templates, null or differently typed values where the walk would go
// otherwise, bytes that do not fit their type, UserData, damaged data) is left to the full walk, so the
// result is the walk's.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "ingest/evtx_binxml.hpp"
#include "ingest/evtx_record_builder.hpp"

namespace kmsdiag::evtx {

// Where the values of one template definition come from: its System element, and for an event about
// activation the rest that RecordBuilder::finish() reads.
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

  // The rest of the event, for an instance about activation. `whole` is false when the walk must read it:
  // UserData, an element inside a Data item, a second System, a Name given twice.
  struct DataItem {
    Text name;   // its Name attribute (empty without one)
    Text value;  // its content, trimmed once rendered
    // The content is substitution `value[0].sub` alone: a null value leaves an optional item out, an
    // array gives an item per element (the classic EventLog form: all Data items from one string array).
    bool substituted = false, optional = false;
  };
  bool whole = false;
  Text level, computer;  // a null value in them adds nothing, as in the walk (a left-out element is empty too)
  bool has_qualifiers = false;
  Text qualifiers;
  std::vector<DataItem> data;  // EventData's Data items in document order
  // Substitutions the rest reads where a null value would change the walk (the Qualifiers attribute would be
  // dropped): each must be of a type other than null.
  std::vector<uint32_t> payload_subs;
  // A substitution that is content of Event or EventData (`fragment_parent`): where Windows puts EventData
  // as an embedded document instantiating a template of its own, whose Data items then follow.
  bool has_fragment = false;
  uint32_t fragment_sub = 0;
  RecordBuilder::Node fragment_parent = RecordBuilder::Node::kEvent;
};

// What TemplateSystems::read() made of a record.
enum class TemplateRead : uint8_t {
  kWalk,    // the shortcut cannot describe it: reset the builder and walk the record
  kUnused,  // an event not about activation, counted from its System values
  kRecord,  // an event about activation, read whole: the builder is ready for finish()
};

// The templates of one chunk, learned on first use.
class TemplateSystems {
 public:
  void set_chunk() {  // template definitions are chunk-relative
    templates_.clear();
    payloads_.clear();
  }
  // Reads the record [begin, end) of the chunk through its template into `builder` (just reset): its
  // System values, which classify it, and for an event about activation the rest. Throws
  // WorkBudgetExceeded only.
  TemplateRead read(BinXmlDecoder& decoder, uint32_t begin, uint32_t end, RecordBuilder& builder);

 private:
  // The template of a record's payload fragment, its values from `base` on.
  struct Payload {
    const TemplateSystem* t = nullptr;
    uint32_t base = 0;
  };
  bool render(const BinXmlDecoder& decoder, const TemplateSystem::Text& text, std::string& out, uint32_t base = 0);
  bool values_fit(const BinXmlDecoder& decoder, const TemplateSystem& t);
  bool plain_values(const BinXmlDecoder& decoder, const TemplateSystem& t, uint32_t base, uint32_t except);
  bool add_items(const BinXmlDecoder& decoder, const TemplateSystem& t, uint32_t base, RecordBuilder& builder);
  Payload payload(BinXmlDecoder& decoder, const TemplateSystem& t, uint32_t begin, uint32_t end,
                  BinXmlDecoder::Instance& inst, bool& fit);
  bool read_rest(const BinXmlDecoder& decoder, const TemplateSystem& t, const Payload& payload, RecordBuilder& builder);

  std::unordered_map<uint32_t, TemplateSystem> templates_;  // by definition offset in the chunk
  std::unordered_map<uint32_t, TemplateSystem> payloads_;   // the payload fragments' templates, likewise
  std::string provider_, channel_, event_id_, record_id_, level_, computer_, qualifiers_;
  uint64_t read_bytes_ = 0;  // value bytes read for the current record
};

}  // namespace kmsdiag::evtx
