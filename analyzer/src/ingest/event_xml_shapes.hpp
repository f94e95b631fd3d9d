// The markup of events the header scan has read, remembered so that the next event of the same shape is read by
// comparing bytes instead of reading tags. The events of a log come in few shapes: one exporter writes every
// event's markup the same way, and the events of one provider and id differ only in their values. Reading an
// event's tags (names, attributes, nesting) cost the scan most of its time; comparing its markup with one seen
// before costs a fraction of that (issue 10).
//
// Why a replay says what the scan would: an event matches a remembered shape when it is that shape's markup
// with other values, each ended where the scan ends one (a text at the next '<', an attribute value at its
// quote). The scan reads such an event tag for tag as it read the one it learned the shape from: the names, the
// nesting and the whitespace in tags are the same bytes, and the values end at the same places. The replay
// tells the header tracker what the scan told it, with this event's values, so the header is the same too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/event_xml_header_tracker.hpp"

namespace kmsdiag {

// One event's markup as the header scan read it: the bytes between its values, the effects of the tags in them,
// and whether the header read each value. The scan records it; EventXmlShapes learns it.
class EventShape {
 public:
  using Effect = EventXmlHeaderTracker::Effect;

  void start(const char* event) {
    last_ = event;
    effects_.clear();
    steps_.clear();
  }
  // A tag's effect other than kNone; `local`, the name of the child that starts.
  void effect(Effect e, std::string_view local) { effects_.push_back({e, local}); }
  // A value at [from, to), ended by `terminator`: '<' for a text; a quote for the value of the attribute
  // `attribute` (its local name). `read`: whether the header read it.
  void value(const char* from, const char* to, char terminator, std::string_view attribute, bool read) {
    steps_.push_back({{last_, static_cast<size_t>(from - last_)}, effects_.size(), terminator, read, attribute});
    last_ = to;
  }
  // The Event element ended just before `at`.
  void end(const char* at) { value(at, at, '\0', {}, false); }

 private:
  friend class EventXmlShapes;
  struct Told {
    Effect effect;
    std::string_view local;
  };
  struct Step {
    std::string_view piece;  // the markup before the value
    size_t effects_end;      // its tags' effects: those after the previous step's, up to this
    char terminator;         // of the value after it; '\0': the end of the event
    bool read;
    std::string_view attribute;
  };
  const char* last_ = nullptr;
  std::vector<Told> effects_;
  std::vector<Step> steps_;
};

// The shapes learned, as a tree: events that begin with the same markup share its steps. Bounded: it stops
// learning at kMaxSteps steps or kMaxBytes bytes of markup, and replays what it has.
class EventXmlShapes {
 public:
  static constexpr size_t kMaxSteps = 2048, kMaxBytes = 32 * 1024;

  // Reads `event` by a learned shape: false when none matches it (the scan must read it); else `out` is what
  // scan_event_xml_header(event, keep) gives.
  bool replay(std::string_view event, const KeepHeader& keep, std::optional<EventXmlHeader>& out) const;
  // Remembers the shape of an event the scan read to its end.
  void learn(const EventShape& shape);
  bool full() const { return full_; }
  size_t steps() const { return steps_.size(); }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  // A value the header reads, and how.
  enum class Read : uint8_t { kNo, kText, kAttribute };
  struct Step {
    uint32_t piece, piece_size;          // in bytes_
    uint32_t effects, effects_size;      // in effects_
    uint32_t attribute, attribute_size;  // in bytes_
    char terminator;
    Read read;
    uint32_t child = kNone, sibling = kNone;  // the steps that may follow it; the next that may stand for it
  };
  struct Told {
    EventShape::Effect effect;
    uint32_t local, local_size;  // in bytes_
  };
  std::string_view text(uint32_t at, uint32_t size) const { return {bytes_.data() + at, size}; }
  uint32_t keep_bytes(std::string_view s);

  std::vector<Step> steps_;
  std::vector<Told> effects_;
  std::string bytes_;  // the markup and names, then kPadding bytes, which a comparison may read
  uint32_t first_ = kNone;
  bool full_ = false;
};

}  // namespace kmsdiag
