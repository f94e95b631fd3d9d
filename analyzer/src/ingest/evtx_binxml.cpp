#include "ingest/evtx_binxml.hpp"

#include <algorithm>

#include "ingest/evtx_framing.hpp"

namespace kmsdiag::evtx {

namespace {

namespace tok {
constexpr uint8_t kEndOfStream = 0x00, kOpenStart = 0x01, kCloseStart = 0x02, kCloseEmpty = 0x03, kEnd = 0x04,
                  kValue = 0x05, kAttribute = 0x06, kCData = 0x07, kCharRef = 0x08, kEntityRef = 0x09, kPITarget = 0x0a,
                  kPIData = 0x0b, kTemplateInstance = 0x0c, kNormalSub = 0x0d, kOptionalSub = 0x0e,
                  kFragmentHeader = 0x0f, kMoreFlag = 0x40;
}

constexpr uint32_t kTemplateHeaderSize = 24;  // next offset, GUID, data size
constexpr int kMaxElementDepth = 256;

// The five predefined XML entities as UTF-16LE, so an entity reference becomes an ordinary text value.
struct Entity {
  std::string_view name;
  uint8_t utf16[2];
};
constexpr Entity kEntities[] = {
    {"amp", {'&', 0}}, {"lt", {'<', 0}}, {"gt", {'>', 0}}, {"quot", {'"', 0}}, {"apos", {'\'', 0}}};

std::string hex_byte(uint8_t b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return std::string{"0x"} + kDigits[b >> 4] + kDigits[b & 15];
}

}  // namespace

void BinXmlDecoder::set_chunk(const uint8_t* chunk, uint32_t size) {
  chunk_ = chunk;
  size_ = size;
  work_ = 0;
  budget_ = kWorkPerByte * size;
  name_count_ = 0;
  if (++chunk_stamp_ == 0) {  // after 2^32 chunks: forget every stamp once
    std::fill(name_stamp_.begin(), name_stamp_.end(), 0u);
    chunk_stamp_ = 1;
  }
  if (name_stamp_.size() < size) {
    name_stamp_.resize(size, 0u);
    name_slot_.resize(size);
  }
}

void BinXmlDecoder::decode(uint32_t begin, uint32_t end, BinXmlSink& sink) {
  if (end > size_ || begin > end) throw DecodeError("record outside the chunk");
  subs_.clear();
  Cursor c{begin, end};
  fragment(c, 0, 0, 0, sink);
}

void BinXmlDecoder::runs_past(const Cursor& c) const {
  throw DecodeError("binary XML runs past its end at chunk offset " + std::to_string(c.pos));
}

void BinXmlDecoder::budget_exceeded() const {
  throw WorkBudgetExceeded("binary XML expands beyond the chunk's work budget (" + std::to_string(budget_) +
                           " steps for " + std::to_string(size_) + " bytes: nested templates blowing up?)");
}

std::string_view BinXmlDecoder::name_at(uint32_t offset) {
  if (offset < name_stamp_.size() && name_stamp_[offset] == chunk_stamp_) return names_[name_slot_[offset]];
  // Name entry: next-name offset (4), hash (2), character count (2), UTF-16 characters, NUL.
  if (offset > size_ || size_ - offset < 8)
    throw DecodeError("name offset " + std::to_string(offset) + " outside the chunk");
  const uint32_t chars = le16(chunk_ + offset + 6);
  if (2u * chars > size_ - offset - 8) throw DecodeError("name at " + std::to_string(offset) + " runs past the chunk");
  if (name_count_ == names_.size()) names_.emplace_back();
  std::string& text = names_[name_count_];
  text.clear();
  append_utf16(text, chunk_ + offset + 8, 2u * chars);
  name_stamp_[offset] = chunk_stamp_;
  name_slot_[offset] = name_count_++;
  return text;
}

std::string_view BinXmlDecoder::name_ref(Cursor& c) {
  const uint32_t offset = le32(need(c, 4));
  c.pos += 4;
  if (offset == c.pos) {  // the name is stored inline here (its first use in the chunk)
    const uint32_t chars = le16(need(c, 8) + 6);
    need(c, 8 + 2 * chars + 2);
    c.pos += 8 + 2 * chars + 2;
  }
  return name_at(offset);
}

void BinXmlDecoder::fragment(Cursor& c, uint32_t subs_base, uint32_t subs_count, int depth, BinXmlSink& sink) {
  int open = 0;
  while (c.pos < c.end) {
    if (sink.done()) return;
    charge(1);
    const uint8_t token = chunk_[c.pos];
    switch (token & ~tok::kMoreFlag) {
      case tok::kEndOfStream:
        ++c.pos;
        return;
      case tok::kFragmentHeader:
        need(c, 4);
        c.pos += 4;
        break;
      case tok::kOpenStart: {
        need(c, 7);  // token, dependency id (2), data size (4), then the name reference
        c.pos += 7;
        const std::string_view name = name_ref(c);
        uint32_t attr_end = c.pos;
        if (token & tok::kMoreFlag) {  // attribute list size follows
          const uint32_t attr_size = le32(need(c, 4));
          c.pos += 4;
          if (attr_size > c.end - c.pos) throw DecodeError("attribute list runs past its end");
          attr_end = c.pos + attr_size;
        }
        if (substituted_element(c, name, attr_end, subs_base, subs_count, depth, sink)) break;
        if (++open > kMaxElementDepth) throw DecodeError("elements nested too deeply");
        sink.open_element(name);
        break;
      }
      case tok::kCloseStart:
        ++c.pos;
        sink.close_start();
        break;
      case tok::kCloseEmpty:
      case tok::kEnd:
        ++c.pos;
        if (--open < 0)
          throw DecodeError("end tag without an open element at chunk offset " + std::to_string(c.pos - 1));
        sink.end_element();
        break;
      case tok::kValue:
      case tok::kCData: {
        // Value: token, type (always string), count; CDATA: token, count.
        const uint32_t head = (token & ~tok::kMoreFlag) == tok::kValue ? 4 : 3;
        const uint32_t chars = le16(need(c, head) + head - 2);
        const uint8_t* text = need(c, head + 2 * chars) + head;
        c.pos += head + 2 * chars;
        charge(chars);
        sink.value(Value{vt::kString, text, 2 * chars});
        break;
      }
      case tok::kAttribute: {
        ++c.pos;
        const std::string_view name = name_ref(c);
        // An optional substitution that is null drops the whole attribute, as Windows renders it.
        if (c.pos + 4 <= c.end && (chunk_[c.pos] & ~tok::kMoreFlag) == tok::kOptionalSub) {
          const uint16_t id = le16(chunk_ + c.pos + 1);
          if (id >= subs_count || subs_[subs_base + id].type == vt::kNull) {
            c.pos += 4;
            break;
          }
        }
        sink.attribute(name);
        break;
      }
      case tok::kCharRef: {
        const uint8_t* ch = need(c, 3) + 1;
        c.pos += 3;
        sink.value(Value{vt::kString, ch, 2});
        break;
      }
      case tok::kEntityRef: {
        ++c.pos;
        const std::string_view name = name_ref(c);
        for (const auto& e : kEntities)
          if (e.name == name) sink.value(Value{vt::kString, e.utf16, 2});
        break;
      }
      case tok::kPITarget:
        ++c.pos;
        name_ref(c);
        break;
      case tok::kPIData: {
        const uint32_t chars = le16(need(c, 3) + 1);
        need(c, 3 + 2 * chars);
        c.pos += 3 + 2 * chars;
        break;
      }
      case tok::kTemplateInstance:
        template_instance(c, depth + 1, sink);
        break;
      case tok::kNormalSub:
      case tok::kOptionalSub: {
        const uint16_t id = le16(need(c, 4) + 1);
        c.pos += 4;
        // A reference past the array is treated as an absent (null) value, like an optional one.
        if (id < subs_count) substitution(subs_[subs_base + id], depth, sink);
        break;
      }
      default:
        throw DecodeError("unknown binary XML token " + hex_byte(token) + " at chunk offset " + std::to_string(c.pos));
    }
  }
}

bool BinXmlDecoder::substituted_element(Cursor& c, std::string_view name, uint32_t attr_end, uint32_t subs_base,
                                        uint32_t subs_count, int depth, BinXmlSink& sink) {
  // Only the shape <name attrs...>{substitution}</name> is special.
  if (attr_end > c.end || c.end - attr_end < 6) return false;
  const uint8_t* p = chunk_ + attr_end;
  const uint8_t sub = p[1] & ~tok::kMoreFlag;
  if (p[0] != tok::kCloseStart || (sub != tok::kNormalSub && sub != tok::kOptionalSub) || p[5] != tok::kEnd)
    return false;
  const uint16_t id = le16(p + 2);
  const Value v = id < subs_count ? subs_[subs_base + id] : Value{};
  if (v.type == kSubstitutionMarker) {  // the walk of a definition: whatever the value, this is its shape
    sink.substituted_content(sub == tok::kOptionalSub);
    return false;
  }
  if (v.type == vt::kNull && sub == tok::kOptionalSub) {  // a null optional element is left out, as Windows renders it
    c.pos = attr_end + 6;
    return true;
  }
  if (!(v.type & vt::kArray)) return false;
  // An array fills one element per item: <Data>a</Data><Data>b</Data>; an empty array one empty element.
  uint32_t offset = 0;
  Value item;
  bool any = false;
  auto emit = [&](const Value* content) {
    charge(1 + (content ? content->size : 0));
    sink.open_element(name);
    Cursor attrs{c.pos, attr_end};
    fragment(attrs, subs_base, subs_count, depth, sink);
    sink.close_start();
    if (content) sink.value(*content);
    sink.end_element();
  };
  while (next_array_item(v, offset, item)) {
    emit(&item);
    any = true;
  }
  if (!any) emit(nullptr);
  c.pos = attr_end + 6;
  return true;
}

void BinXmlDecoder::substitution(const Value& v, int depth, BinXmlSink& sink) {
  charge(v.size);
  if (v.type == vt::kBinXml) {  // an embedded document (often EventData/UserData via its own template)
    if (depth >= kMaxTemplateDepth) throw DecodeError("templates nested too deeply");
    const auto begin = static_cast<uint32_t>(v.data - chunk_);
    Cursor inner{begin, begin + v.size};
    fragment(inner, 0, 0, depth + 1, sink);
    return;
  }
  if (v.type != vt::kNull) sink.value(v);
}

uint32_t BinXmlDecoder::read_instance(Cursor& c, int depth, Instance& out) {
  if (depth > kMaxTemplateDepth) throw DecodeError("templates nested too deeply");
  // Token, unknown byte, template id (4), definition offset (4).
  out.definition = le32(need(c, 10) + 6);
  c.pos += 10;
  if (out.definition == c.pos) {  // definition resident here: the first use of this template in the chunk
    const uint32_t data_size = le32(need(c, kTemplateHeaderSize) + 20);
    if (data_size > c.end - c.pos - kTemplateHeaderSize) throw DecodeError("template definition runs past the record");
    out.body_begin = c.pos + kTemplateHeaderSize;
    out.body_end = out.body_begin + data_size;
    c.pos = out.body_end;
  } else {  // defined earlier in this chunk
    const uint32_t def = out.definition;
    if (def < kChunkHeaderSize || def > size_ - kTemplateHeaderSize)
      throw DecodeError("template offset " + std::to_string(def) + " outside the chunk");
    const uint32_t data_size = le32(chunk_ + def + 20);
    if (data_size > size_ - def - kTemplateHeaderSize)
      throw DecodeError("template at " + std::to_string(def) + " runs past the chunk");
    out.body_begin = def + kTemplateHeaderSize;
    out.body_end = out.body_begin + data_size;
  }
  // Substitution array: count, then (size 2, type 1, padding 1) per value, then the values.
  const uint32_t count = le32(need(c, 4));
  c.pos += 4;
  if (count > (c.end - c.pos) / 4) throw DecodeError("substitution count " + std::to_string(count) + " too large");
  const uint8_t* desc = need(c, 4 * count);
  c.pos += 4 * count;
  const auto base = static_cast<uint32_t>(subs_.size());
  charge(count);
  for (uint32_t i = 0; i < count; ++i) {
    const uint16_t size = le16(desc + 4 * i);
    const uint8_t* data = need(c, size);
    subs_.push_back(Value{desc[4 * i + 2], data, size});
    c.pos += size;
  }
  out.count = count;
  return base;
}

void BinXmlDecoder::template_instance(Cursor& c, int depth, BinXmlSink& sink) {
  Instance inst;
  const uint32_t base = read_instance(c, depth, inst);
  Cursor body{inst.body_begin, inst.body_end};
  fragment(body, base, inst.count, depth, sink);
  subs_.resize(base);
}

bool BinXmlDecoder::at_document_end(const Cursor& c) const {
  return c.pos == c.end || (chunk_[c.pos] & ~tok::kMoreFlag) == tok::kEndOfStream;
}

bool BinXmlDecoder::instance(uint32_t begin, uint32_t end, Instance& out) {
  if (end > size_ || begin > end) throw DecodeError("record outside the chunk");
  subs_.clear();
  Cursor c{begin, end};
  // The shape decode() walks for every Windows-written record: fragment header, template instance.
  if (end - begin < 5 || (chunk_[begin] & ~tok::kMoreFlag) != tok::kFragmentHeader ||
      (chunk_[begin + 4] & ~tok::kMoreFlag) != tok::kTemplateInstance)
    return false;
  c.pos += 4;
  read_instance(c, 1, out);
  out.ends_document = at_document_end(c);
  return true;
}

bool BinXmlDecoder::nested_instance(const Value& v, Instance& out, uint32_t& base) {
  // Where substitution() walks it: a fragment two levels of templates down (record, then this document).
  const auto begin = static_cast<uint32_t>(v.data - chunk_);
  Cursor c{begin, begin + v.size};
  if (v.size < 5 || (chunk_[begin] & ~tok::kMoreFlag) != tok::kFragmentHeader ||
      (chunk_[begin + 4] & ~tok::kMoreFlag) != tok::kTemplateInstance)
    return false;
  c.pos += 4;
  base = read_instance(c, 3, out);
  out.ends_document = at_document_end(c);
  return out.ends_document;
}

void BinXmlDecoder::walk_definition(const Instance& definition, BinXmlSink& sink) {
  subs_.clear();
  for (uint32_t i = 0; i < definition.count; ++i) subs_.push_back(Value{kSubstitutionMarker, chunk_ + i, 0});
  Cursor body{definition.body_begin, definition.body_end};
  fragment(body, 0, definition.count, 1, sink);
  subs_.clear();
}

}  // namespace kmsdiag::evtx
