// What the System header takes from an event's tags, told them in document order by whatever found them: the
// header scan, which reads the markup, or a replay of markup the scan has read before (event_xml_shapes). Both
// tell it the same, so both give the same header.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "ingest/event_xml_record.hpp"

namespace kmsdiag {

// Asked once the header is complete whether the scan goes on (see scan_event_xml_header).
using KeepHeader = std::function<bool(const EventXmlHeader&)>;

// Character classes. pugixml's whitespace: a text of only these is not a node, and it separates a tag's parts.
// Name characters the scan accepts: is_ascii_name_char(), and a name starts with a letter, '_' or ':'. A value
// is read as it is written only without the odd characters: pugixml turns entity references, tabs and line
// ends in attribute values, and carriage returns in text, into something else.
enum : uint8_t { kXmlSpace = 1, kXmlNameStart = 2, kXmlName = 4, kOddInAttribute = 8, kOddInText = 16 };
inline constexpr std::array<char, 2> kOddInTextChars = {'&', '\r'};
inline constexpr std::array<char, 4> kOddInAttributeChars = {'&', '\t', '\n', '\r'};
extern const std::array<uint8_t, 256> kXmlCharClass;
inline bool is_xml_class(char c, uint8_t cls) { return (kXmlCharClass[static_cast<uint8_t>(c)] & cls) != 0; }

// Two layers. The structure: open() and close() say what a tag does to the header (an Effect), and whether
// the values in and after it are read; only the scan, which reads the tags, asks them. The effects: apply(),
// attribute() and text(), which the scan and the replay of a shape both call. A shape records the effects of
// its tags, which depend on its markup alone, so its replay needs no structure of its own.
class EventXmlHeaderTracker {
 public:
  enum class Effect : uint8_t { kNone, kSystemStarts, kChildStarts, kChildEnds, kSystemEnds };

  // `values_plain`: none of the values it will be told holds an odd character (the replay of a shape checks).
  explicit EventXmlHeaderTracker(const KeepHeader& keep, bool values_plain = false)
      : values_plain_(values_plain), keep_(keep) {}

  // An element starts; its local name.
  Effect open(std::string_view local) {
    ++depth_;
    attributes_read_ = false;
    if (in_system_ && depth_ == 3) {
      child_read_ = attributes_read_ = EventXmlHeaderBuilder::reads(local);
      return child_read_ ? Effect::kChildStarts : Effect::kNone;
    }
    if (depth_ == 2 && !system_seen_ && local == "System") return Effect::kSystemStarts;
    return Effect::kNone;
  }
  // The element open last ends.
  Effect close() {
    const size_t depth = depth_--;
    if (!in_system_ || depth > 3) return Effect::kNone;
    if (depth == 3) return child_read_ ? Effect::kChildEnds : Effect::kNone;
    return Effect::kSystemEnds;
  }
  size_t depth() const { return depth_; }
  // Whether the header reads the attribute of this local name of the element that started last.
  bool reads_attribute(std::string_view local) const {
    return attributes_read_ &&
           std::find(Element::kAttributes.begin(), Element::kAttributes.end(), local) != Element::kAttributes.end();
  }
  // Whether the header reads a text met now: a System child's that the header reads, not a grandchild's.
  bool reads_text() const { return in_system_ && depth_ == 3 && child_read_; }

  // False: the scan stops (a header value pugixml would not give as written, or the caller does not keep the
  // event). `local`: the name of the child that starts.
  bool apply(Effect effect, std::string_view local) {
    switch (effect) {
      case Effect::kNone:
        return true;
      case Effect::kSystemStarts:
        in_system_ = system_seen_ = true;
        return true;
      case Effect::kChildStarts:
        element_.start(local);
        return true;
      case Effect::kChildEnds:
        return element_.add_to(header_, values_plain_);
      case Effect::kSystemEnds:
        in_system_ = false;
        return keep_(header_.header());
    }
    return true;
  }
  // An attribute or a text the header reads (reads_attribute(), reads_text()): the first text that is not all
  // whitespace is the element's.
  void attribute(std::string_view local, std::string_view value) { element_.attribute(local, value); }
  void text(std::string_view t) {
    if (element_.text == nullptr) element_.first_text(t);
  }
  // The Event element has ended: the header, unless the caller does not keep it.
  std::optional<EventXmlHeader> finish() {
    if (!system_seen_ && !keep_(header_.header())) return std::nullopt;
    return std::move(header_.header());
  }

 private:
  // One System child element while it is open: the attributes the header may read, and its first text. A value
  // is checked only when the header reads it: most are never read (Version, Task, Keywords, a Provider's Guid).
  struct Element {
    static constexpr std::array<std::string_view, 4> kAttributes = {"Name", "EventSourceName", "Qualifiers",
                                                                    "SystemTime"};
    std::string_view local;
    std::array<std::string_view, 4> attributes;
    unsigned present = 0;        // a bit for each of kAttributes met
    const char* text = nullptr;  // the first text that is not all whitespace, as pugixml keeps it
    size_t text_size = 0;

    void start(std::string_view local_name) {
      local = local_name;
      present = 0;
      text = nullptr;
    }
    void attribute(std::string_view name, std::string_view value);
    void first_text(std::string_view t);
    // False when the header read a value pugixml would not give as written; `plain`: none can be.
    bool add_to(EventXmlHeaderBuilder& b, bool plain) const;
  };

  const bool values_plain_;
  size_t depth_ = 0;
  bool in_system_ = false, system_seen_ = false;
  bool child_read_ = false;       // the System child open now is one the header reads
  bool attributes_read_ = false;  // the element that started last is
  const KeepHeader& keep_;
  Element element_;
  EventXmlHeaderBuilder header_;
};

}  // namespace kmsdiag
