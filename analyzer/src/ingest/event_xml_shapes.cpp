#include "ingest/event_xml_shapes.hpp"

#include "ingest/byte_scan.hpp"

namespace kmsdiag {
namespace {

constexpr size_t kPadding = 16;  // same_bytes() reads up to a block past a piece's last byte

}  // namespace

bool EventXmlShapes::replay(std::string_view event, const KeepHeader& keep, std::optional<EventXmlHeader>& out) const {
  if (first_ == kNone) return false;
  const char* p = event.data();
  const char* const end = p + event.size();
  EventXmlHeaderTracker header(keep, true);
  for (uint32_t next = first_;;) {
    // The steps that may come next differ in their markup, but one's may begin another's: the scan makes no value
    // of an empty text, so "<a></a>" is one piece where "<a>" ends another before a text. A step before a text
    // whose markup is followed by '<' (an empty text) is taken only when no other matches: then the one that
    // matches is the one the scan made, if it is known.
    const Step* step = nullptr;
    const Step* before_empty_text = nullptr;
    for (uint32_t k = next; k != kNone; k = steps_[k].sibling) {
      const Step& s = steps_[k];
      if (s.piece_size <= static_cast<size_t>(end - p) && same_bytes(p, end, bytes_.data() + s.piece, s.piece_size)) {
        if (s.terminator == '<' && s.piece_size < static_cast<size_t>(end - p) && p[s.piece_size] == '<') {
          if (before_empty_text == nullptr) before_empty_text = &s;
          continue;
        }
        step = &s;
        break;
      }
    }
    if (step == nullptr) step = before_empty_text;
    if (step == nullptr) return false;
    p += step->piece_size;
    for (uint32_t k = step->effects; k != step->effects + step->effects_size; ++k)
      if (!header.apply(effects_[k].effect, text(effects_[k].local, effects_[k].local_size))) {
        out = std::nullopt;
        return true;
      }
    if (step->terminator == '\0') {
      for (; p != end; ++p)
        if (!is_xml_class(*p, kXmlSpace)) return false;  // a NUL too: the scan reads no event with one
      out = header.finish();
      return true;
    }
    // Where the value ends, unless something the scan would not read comes first: a NUL, or in a value the
    // header reads a character pugixml would rewrite. Such an event is left to the scan.
    const char t = step->terminator;
    const char* const value_end =
        step->read == Read::kNo ? find_first_of(p, end, std::array{t, '\0'})
        : step->read == Read::kText
            ? find_first_of(p, end, std::array{t, '\0', kOddInTextChars[0], kOddInTextChars[1]})
            : find_first_of(p, end,
                            std::array{t, '\0', kOddInAttributeChars[0], kOddInAttributeChars[1],
                                       kOddInAttributeChars[2], kOddInAttributeChars[3]});
    if (value_end == end || *value_end != t) return false;
    if (step->read == Read::kText)
      header.text(std::string_view(p, static_cast<size_t>(value_end - p)));
    else if (step->read == Read::kAttribute)
      header.attribute(text(step->attribute, step->attribute_size),
                       std::string_view(p, static_cast<size_t>(value_end - p)));
    p = value_end;
    next = step->child;
  }
}

uint32_t EventXmlShapes::keep_bytes(std::string_view s) {
  const auto at = static_cast<uint32_t>(bytes_.size() - kPadding);
  bytes_.resize(at);
  bytes_.append(s).append(kPadding, '\0');
  return at;
}

void EventXmlShapes::learn(const EventShape& shape) {
  if (full_) return;
  // Room for the whole shape, as if none of it were known: a shape is learned whole or not at all.
  size_t bytes = 0;
  for (const EventShape::Step& s : shape.steps_) bytes += s.piece.size() + s.attribute.size();
  for (const EventShape::Told& t : shape.effects_) bytes += t.local.size();
  if (steps_.size() + shape.steps_.size() > kMaxSteps || bytes_.size() + bytes > kMaxBytes) {
    full_ = true;
    return;
  }
  if (bytes_.empty()) bytes_.assign(kPadding, '\0');
  uint32_t* list = &first_;  // where the next step is, or is to be linked in
  size_t effects_from = 0;
  for (const EventShape::Step& s : shape.steps_) {
    // A step's piece decides its effects, its attribute's name and whether the header reads its value (the
    // tags in it and before it say them): piece and terminator tell steps apart.
    uint32_t* link = list;
    uint32_t index = kNone;
    for (; *link != kNone; link = &steps_[*link].sibling) {
      const Step& known = steps_[*link];
      if (known.terminator == s.terminator && text(known.piece, known.piece_size) == s.piece) {
        index = *link;
        break;
      }
    }
    if (index == kNone) {
      Step step{};
      step.piece = keep_bytes(s.piece);
      step.piece_size = static_cast<uint32_t>(s.piece.size());
      step.effects = static_cast<uint32_t>(effects_.size());
      step.effects_size = static_cast<uint32_t>(s.effects_end - effects_from);
      for (size_t k = effects_from; k != s.effects_end; ++k) {
        const EventShape::Told& t = shape.effects_[k];
        effects_.push_back({t.effect, keep_bytes(t.local), static_cast<uint32_t>(t.local.size())});
      }
      step.attribute = keep_bytes(s.attribute);
      step.attribute_size = static_cast<uint32_t>(s.attribute.size());
      step.terminator = s.terminator;
      step.read = !s.read ? Read::kNo : s.terminator == '<' ? Read::kText : Read::kAttribute;
      index = static_cast<uint32_t>(steps_.size());
      *link = index;  // before push_back, which may move what `link` points into
      steps_.push_back(step);
    }
    list = &steps_[index].child;
    effects_from = s.effects_end;
  }
}

}  // namespace kmsdiag
