#include "ingest/event_xml_header_tracker.hpp"

#include "ingest/byte_scan.hpp"

namespace kmsdiag {

// pugixml accepts every name the scan does (it takes any byte from 0x80 in a name, and more).
const std::array<uint8_t, 256> kXmlCharClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    if (is_ascii_name_char(ch))
      t[c] |= (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ? kXmlName : kXmlNameStart | kXmlName;
  }
  for (const unsigned char c : {' ', '\t', '\n', '\r'}) t[c] |= kXmlSpace;
  for (const char c : kOddInAttributeChars) t[static_cast<uint8_t>(c)] |= kOddInAttribute;
  for (const char c : kOddInTextChars) t[static_cast<uint8_t>(c)] |= kOddInText;
  return t;
}();

namespace {

bool has_any(std::string_view v, uint8_t cls) {
  for (const char c : v)
    if (is_xml_class(c, cls)) return true;
  return false;
}

}  // namespace

void EventXmlHeaderTracker::Element::attribute(std::string_view name, std::string_view value) {
  for (size_t k = 0; k < kAttributes.size(); ++k)
    if (name == kAttributes[k] && !(present & (1u << k))) {
      attributes[k] = value;
      present |= 1u << k;
    }
}

void EventXmlHeaderTracker::Element::first_text(std::string_view t) {
  for (const char c : t)
    if (!is_xml_class(c, kXmlSpace)) {
      text = t.data();
      text_size = t.size();
      return;
    }
}

bool EventXmlHeaderTracker::Element::add_to(EventXmlHeaderBuilder& b, bool values_plain) const {
  bool plain = true;
  b.element(
      local,
      [&] {
        const std::string_view t = text != nullptr ? std::string_view(text, text_size) : std::string_view();
        plain = plain && (values_plain || !has_any(t, kOddInText));
        return trim(t);
      },
      [&](std::string_view name) -> std::optional<std::string_view> {
        for (size_t k = 0; k < kAttributes.size(); ++k)
          if (name == kAttributes[k] && (present & (1u << k))) {
            plain = plain && (values_plain || !has_any(attributes[k], kOddInAttribute));
            return attributes[k];
          }
        return std::nullopt;
      });
  return plain;
}

}  // namespace kmsdiag
