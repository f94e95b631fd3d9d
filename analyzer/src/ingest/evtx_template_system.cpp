#include "ingest/evtx_template_system.hpp"

#include <limits>
#include <optional>
#include <utility>

#include "ingest/evtx_value.hpp"

namespace kmsdiag::evtx {

namespace {

using Node = RecordBuilder::Node;
using Rule = TemplateSystem::Use::Rule;

// Elements whose content RecordBuilder keeps as text. A child element would clear what they collected,
// so the learner takes only text content for them.
bool keeps_text(Node n) {
  return n == Node::kEventId || n == Node::kLevel || n == Node::kRecordId || n == Node::kChannel ||
         n == Node::kComputer;
}

// Follows the events of a definition walked without values the way RecordBuilder follows a record's,
// noting for each value RecordBuilder would keep where it comes from. It takes only documents RecordBuilder
// reads in one obvious way (Event root, System first, each System child once, no children inside a text
// element): for anything else the template stays unusable and the walk decides. After System it goes on
// through the rest (EventData's Data items) in the same way, for events about activation; a rest it cannot
// describe leaves the template usable for unused events only.
class Learner final : public BinXmlSink {
 public:
  // With a `parent` (Event or EventData), for a template instantiated inside that element of another: only
  // the rest is learned.
  Learner(const BinXmlDecoder& decoder, const std::vector<uint8_t>& types, TemplateSystem& out,
          std::optional<Node> parent)
      : decoder_(decoder), types_(types), out_(out), refs_(types.size()) {
    if (!parent) return;
    out_.usable = out_.whole = true;
    stack_ = {Node::kEvent};
    if (*parent == Node::kEventData) stack_.push_back(*parent);
    nested_ = true;
  }
  // After the walk: a payload fragment whose substitution is read elsewhere too, or that comes with Data
  // items of this template (in an order the rest does not keep), is left to the walk; so is a substituted
  // item whose content was not that one substitution after all.
  void finish() {
    if (out_.has_fragment && (refs_[out_.fragment_sub] > 1 || !out_.data.empty())) out_.whole = false;
    for (const auto& item : out_.data)
      if (item.substituted && (item.value.size() != 1 || !item.value.front().is_sub)) out_.whole = false;
  }

  void substituted_content(bool optional) override { pending_content_ = optional ? 2 : 1; }

  void open_element(std::string_view name) override {
    end_attribute();
    const int content = std::exchange(pending_content_, 0);
    if (out_.usable) return open_in_rest(name, content);
    Node node = Node::kOther;
    if (stack_.empty()) {
      node = RecordBuilder::classify(Node::kOther, name);
      if (node != Node::kEvent) return reject();
    } else if (stack_.back() == Node::kEvent) {
      node = RecordBuilder::classify(Node::kEvent, name);
      if (node != Node::kSystem) return reject();  // EventData or UserData before System
    } else if (stack_.back() == Node::kSystem) {
      node = RecordBuilder::classify(Node::kSystem, name);
      if (node != Node::kOther && seen_[static_cast<size_t>(node)]++) return reject();  // the last one would win
    } else if (keeps_text(stack_.back())) {
      return reject();
    }
    stack_.push_back(node);
    attr_ = Attr::kNone;
  }

  void attribute(std::string_view name) override {
    end_attribute();
    const Node node = stack_.empty() ? Node::kOther : stack_.back();
    attr_ = Attr::kIgnored;
    if (out_.usable) {  // in the rest: a Data item's Name is all that is read
      if (node == Node::kData && name == "Name") {
        if (data_named_) return reject_rest();  // the walk keeps the last one
        data_named_ = true;
        attr_ = Attr::kDataName;
      }
      return;
    }
    if (node == Node::kProvider && (name == "Name" || name == "EventSourceName")) {
      attr_ = Attr::kProvider;
      out_.provider.push_back({name == "Name", {}});
    } else if (node == Node::kEventId && name == "Qualifiers") {
      attr_ = Attr::kQualifiers;
      out_.has_qualifiers = true;  // the walk keeps the last one's text
      out_.qualifiers.clear();
    } else if (node == Node::kTimeCreated && name == "SystemTime") {
      attr_ = Attr::kSystemTime;
    }
    attr_values_ = 0;
    attr_use_ = kNoUse;
  }

  void close_start() override {
    end_attribute();
    attr_ = Attr::kNone;
  }

  void value(const Value& v) override {
    if (out_.usable) return value_in_rest(v);
    TemplateSystem::Text* text = nullptr;
    Rule rule = Rule::kIgnored;
    bool payload = false;  // a null value would change what the rest reads
    switch (attr_) {
      case Attr::kProvider:
        text = &out_.provider.back().text;
        rule = Rule::kSame;
        break;
      case Attr::kQualifiers:
        text = &out_.qualifiers;
        rule = Rule::kFits;
        payload = true;  // a null drops the attribute, or leaves it empty
        break;
      case Attr::kSystemTime:
        rule = Rule::kSame;
        if (time_values_++) return reject();  // the last readable one would win
        break;
      case Attr::kIgnored:
      case Attr::kDataName:
        break;
      case Attr::kNone:
        switch (stack_.empty() ? Node::kOther : stack_.back()) {
          case Node::kEventId:
            text = &out_.event_id;
            rule = Rule::kSame;
            break;
          case Node::kRecordId:
            text = &out_.record_id;
            rule = Rule::kSame;
            break;
          case Node::kChannel:
            text = &out_.channel;
            rule = Rule::kSame;
            break;
          case Node::kLevel:
            text = &out_.level;
            rule = Rule::kFits;
            break;
          case Node::kComputer:
            text = &out_.computer;
            rule = Rule::kFits;
            break;
          default:
            break;
        }
        break;
    }
    if (attr_ != Attr::kNone) ++attr_values_;
    if (v.type == BinXmlDecoder::kSubstitutionMarker) {
      const uint32_t sub = decoder_.marker_index(v);
      ++refs_[sub];
      if (attr_ != Attr::kNone && attr_values_ == 1) attr_use_ = out_.uses.size();
      out_.uses.push_back({sub, rule, types_[sub], attr_ == Attr::kNone && null_content_harmless()});
      if (payload) out_.payload_subs.push_back(sub);
      if (text) text->push_back({true, sub, {}});
      if (attr_ == Attr::kSystemTime) {
        out_.time_is_sub = true;
        out_.time_sub = sub;
      }
      return;
    }
    // A literal of the template: read now, once.
    if (attr_ == Attr::kSystemTime) {
      if (const auto ms = value_time_ms(v)) out_.time_ms = *ms;
      return;
    }
    if (rule == Rule::kIgnored) return;
    scratch_.clear();
    if (!append_value(scratch_, v)) return reject();  // the walk reports the bad value
    if (!text) return;
    if (text->empty() || text->back().is_sub) text->push_back({false, 0, {}});
    text->back().literal += scratch_;
  }

  void end_element() override {
    end_attribute();
    attr_ = Attr::kNone;
    if (stack_.empty()) return out_.usable ? reject_rest() : reject();
    const Node node = stack_.back();
    stack_.pop_back();
    if (node == Node::kSystem && !out_.usable) {
      out_.usable = true;
      out_.whole = true;  // until the rest shows otherwise
    }
    if (out_.usable && stack_.empty()) done_ = true;  // the Event element has ended
  }

  bool done() const override { return done_; }

 private:
  enum class Attr : uint8_t { kNone, kIgnored, kProvider, kQualifiers, kSystemTime, kDataName };
  static constexpr size_t kNoUse = std::numeric_limits<size_t>::max();

  // A null optional substitution that is an element's whole content leaves the element out, attributes
  // and all: harmless only where neither the element nor its attributes hold a value that is read.
  bool null_content_harmless() const {
    const Node node = stack_.empty() ? Node::kOther : stack_.back();
    return node == Node::kOther || node == Node::kLevel || node == Node::kComputer;
  }
  void reject() {
    out_.usable = false;
    done_ = true;
  }
  void reject_rest() {
    out_.whole = false;
    done_ = true;
  }

  // After System, as RecordBuilder classifies elements: EventData and its Data items are read, other
  // elements and all inside them are not. UserData, a second System and an element inside a Data item
  // (which would clear the item's text) are left to the walk.
  void open_in_rest(std::string_view name, int content) {
    const Node parent = stack_.empty() ? Node::kOther : stack_.back();
    Node node = Node::kOther;
    switch (parent) {
      case Node::kEvent:
        node = RecordBuilder::classify(Node::kEvent, name);
        if (node == Node::kSystem || node == Node::kUserData) return reject_rest();
        break;
      case Node::kEventData:
        node = RecordBuilder::classify(Node::kEventData, name);
        if (node == Node::kData) {
          out_.data.emplace_back();
          out_.data.back().substituted = content != 0;
          out_.data.back().optional = content == 2;
          data_named_ = false;
        }
        break;
      case Node::kData:
        return reject_rest();
      default:
        break;
    }
    stack_.push_back(node);
    attr_ = Attr::kNone;
  }

  void value_in_rest(const Value& v) {
    const Node node = stack_.empty() ? Node::kOther : stack_.back();
    const bool marker = v.type == BinXmlDecoder::kSubstitutionMarker;
    const uint32_t sub = marker ? decoder_.marker_index(v) : 0;
    if (marker) ++refs_[sub];
    TemplateSystem::Text* text = nullptr;
    if (attr_ == Attr::kDataName) {
      text = &out_.data.back().name;
    } else if (attr_ == Attr::kNone && node == Node::kData) {
      text = &out_.data.back().value;
    } else if (attr_ == Attr::kNone && marker && (node == Node::kEvent || node == Node::kEventData)) {
      // Content of Event or EventData from a substitution: Windows gives EventData (or UserData) as an
      // embedded document there, in a template of its own. One level of that is read.
      if (out_.has_fragment || nested_) return reject_rest();
      out_.has_fragment = true;
      out_.fragment_sub = sub;
      out_.fragment_parent = node;
      return;
    }
    if (text == nullptr) return;  // nothing reads it
    if (marker) {
      text->push_back({true, sub, {}});  // a null one adds nothing (see DataItem::substituted)
      return;
    }
    scratch_.clear();
    if (!append_value(scratch_, v)) return reject_rest();  // the walk reports the bad value
    if (text->empty() || text->back().is_sub) text->push_back({false, 0, {}});
    text->back().literal += scratch_;
  }
  // A null substitution that is an attribute's only value drops the attribute or adds nothing to it;
  // with more values the walk would give the rest to the attribute before it.
  void end_attribute() {
    if (attr_ != Attr::kNone && attr_values_ == 1 && attr_use_ != kNoUse) out_.uses[attr_use_].nullable = true;
    attr_use_ = kNoUse;
  }

  const BinXmlDecoder& decoder_;
  const std::vector<uint8_t>& types_;
  TemplateSystem& out_;
  std::vector<Node> stack_;
  size_t seen_[static_cast<size_t>(Node::kUserDataNode) + 1] = {};
  Attr attr_ = Attr::kNone;
  size_t attr_values_ = 0, attr_use_ = kNoUse;
  int time_values_ = 0;
  bool data_named_ = false;     // the open Data item has had its Name attribute
  int pending_content_ = 0;     // substituted_content() for the element about to open: 1, or 2 when optional
  bool nested_ = false;         // learning a template instantiated inside another
  std::vector<uint32_t> refs_;  // per substitution: how many values of the definition it gives
  bool done_ = false;
  std::string scratch_;
};

// Learns where the values of `definition` come from by walking it without values; its values are the
// decoder's from `base` on. A template instantiated inside another's element `parent` (the payload
// fragment) is learned for its Data items only. Charges the chunk's budget (throws WorkBudgetExceeded); a
// definition the walk fails on is learned as unusable, or when the damage is past System as not whole.
TemplateSystem learn_template(BinXmlDecoder& decoder, const BinXmlDecoder::Instance& definition, uint32_t base = 0,
                              std::optional<RecordBuilder::Node> parent = std::nullopt) {
  TemplateSystem t;
  t.count = definition.count;
  std::vector<uint8_t> types(definition.count);
  for (uint32_t i = 0; i < definition.count; ++i) types[i] = decoder.instance_value(base + i).type;
  Learner learner(decoder, types, t, parent);
  try {
    decoder.walk_definition(definition, learner);
    learner.finish();
  } catch (const WorkBudgetExceeded&) {
    throw;
  } catch (const DecodeError&) {
    t.whole = false;
  }
  return t;
}

}  // namespace

bool TemplateSystems::render(const BinXmlDecoder& decoder, const TemplateSystem::Text& text, std::string& out,
                             uint32_t base) {
  out.clear();
  for (const auto& part : text) {
    if (!part.is_sub) {
      out += part.literal;
      continue;
    }
    const Value& v = decoder.instance_value(base + part.sub);
    read_bytes_ += v.size;
    if (!append_value(out, v)) return false;
  }
  return true;
}

bool TemplateSystems::values_fit(const BinXmlDecoder& decoder, const TemplateSystem& t) {
  for (const auto& use : t.uses) {
    const Value& v = decoder.instance_value(use.sub);
    // An embedded document or an array changes the walk itself.
    if (v.type == vt::kBinXml || (v.type & vt::kArray)) return false;
    if (v.type == vt::kNull) {
      if (use.rule == Rule::kSame || !use.nullable) return false;
      continue;
    }
    if (use.rule == Rule::kSame && v.type != use.type) return false;
    if (use.rule == Rule::kFits) {
      read_bytes_ += v.size;
      if (!value_fits(v)) return false;
    }
  }
  return true;
}

// The values of an instance (from `base`) as the rest reads them: none may be an embedded document, which
// the walk would expand wherever it is, but the payload fragment `except`; none of payload_subs null. An
// array is one value, its items joined, but where it is an element's whole content (DataItem::substituted).
bool TemplateSystems::plain_values(const BinXmlDecoder& decoder, const TemplateSystem& t, uint32_t base,
                                   uint32_t except) {
  for (uint32_t i = 0; i < t.count; ++i)
    if (decoder.instance_value(base + i).type == vt::kBinXml && i != except) return false;
  for (const uint32_t sub : t.payload_subs)
    if (decoder.instance_value(base + sub).type == vt::kNull) return false;
  return true;
}

bool TemplateSystems::read_rest(const BinXmlDecoder& decoder, const TemplateSystem& t, const Payload& payload,
                                RecordBuilder& builder) {
  if (!plain_values(decoder, t, 0, t.has_fragment ? t.fragment_sub : t.count) ||
      (payload.t && !plain_values(decoder, *payload.t, payload.base, payload.t->count)))
    return false;
  if (!render(decoder, t.level, level_) || !render(decoder, t.computer, computer_) ||
      (t.has_qualifiers && !render(decoder, t.qualifiers, qualifiers_)))
    return false;
  builder.take_rest(level_, computer_, t.has_qualifiers ? &qualifiers_ : nullptr);
  return add_items(decoder, t, 0, builder) && (!payload.t || add_items(decoder, *payload.t, payload.base, builder));
}

// The Data items of `t` (values from `base`), as the walk adds them: a substituted content that is null
// leaves an optional item out (a required one is empty), an array gives an item per element, one empty
// item when it has none.
bool TemplateSystems::add_items(const BinXmlDecoder& decoder, const TemplateSystem& t, uint32_t base,
                                RecordBuilder& builder) {
  // One item: its name, then its content (the Text, or the value `content`, or nothing), trimmed.
  const auto add = [&](const TemplateSystem::DataItem& item, const Value* content) {
    auto& [name, value] = builder.add_data();
    if (!render(decoder, item.name, name, base)) return false;
    if (!item.substituted) {
      if (!render(decoder, item.value, value, base)) return false;
    } else if (content) {
      read_bytes_ += content->size;
      if (!append_value(value, *content)) return false;
    }
    const std::string_view kept = trim(value);
    const auto from = static_cast<size_t>(kept.data() - value.data());
    value.erase(from + kept.size());
    value.erase(0, from);
    return true;
  };
  for (const auto& item : t.data) {
    const Value* v = item.substituted ? &decoder.instance_value(base + item.value.front().sub) : nullptr;
    if (!v) {
      if (!add(item, nullptr)) return false;
    } else if (v->type == vt::kNull) {
      if (!item.optional && !add(item, nullptr)) return false;
    } else if (v->type & vt::kArray) {
      uint32_t offset = 0;
      Value element;
      bool any = false;
      while (next_array_item(*v, offset, element)) {
        if (!add(item, &element)) return false;
        any = true;
      }
      if (!any && !add(item, nullptr)) return false;
    } else if (!add(item, v)) {
      return false;
    }
  }
  return true;
}

// The template of the payload fragment of a record whose instance `inst` [begin, end) was read last: null
// payload (with `fit` true) when the record has none, `fit` false when the shortcut cannot read it.
TemplateSystems::Payload TemplateSystems::payload(BinXmlDecoder& decoder, const TemplateSystem& t, uint32_t begin,
                                                  uint32_t end, BinXmlDecoder::Instance& inst, bool& fit) {
  fit = true;
  Payload p;
  if (!t.has_fragment) return p;
  const Value v = decoder.instance_value(t.fragment_sub);  // a copy: learning replaces the values
  if (v.type != vt::kBinXml) return p;                     // a plain value there is ignored, a null adds nothing
  BinXmlDecoder::Instance nested;
  fit = false;
  if (!decoder.nested_instance(v, nested, p.base)) return p;
  auto it = payloads_.find(nested.definition);
  if (it == payloads_.end()) {
    it = payloads_.emplace(nested.definition, learn_template(decoder, nested, p.base, t.fragment_parent)).first;
    decoder.instance(begin, end, inst);  // learning replaced the instances' values
    decoder.nested_instance(v, nested, p.base);
  }
  if (!it->second.whole || nested.count != it->second.count) return p;
  p.t = &it->second;
  fit = true;
  return p;
}

TemplateRead TemplateSystems::read(BinXmlDecoder& decoder, uint32_t begin, uint32_t end, RecordBuilder& builder) {
  using enum TemplateRead;
  try {
    BinXmlDecoder::Instance inst;
    if (!decoder.instance(begin, end, inst)) return kWalk;
    auto it = templates_.find(inst.definition);
    if (it == templates_.end()) {
      it = templates_.emplace(inst.definition, learn_template(decoder, inst)).first;
      decoder.instance(begin, end, inst);  // learning replaced the instance's values
    }
    const TemplateSystem& t = it->second;
    if (!t.usable || inst.count != t.count) return kWalk;
    read_bytes_ = 0;
    if (!values_fit(decoder, t)) return kWalk;
    provider_.clear();
    for (const auto& attr : t.provider)
      if ((attr.is_name || provider_.empty()) && !render(decoder, attr.text, provider_)) return kWalk;
    if (!render(decoder, t.channel, channel_) || !render(decoder, t.event_id, event_id_)) return kWalk;
    int64_t time_ms = t.time_ms;
    if (t.time_is_sub) {
      const Value& v = decoder.instance_value(t.time_sub);
      read_bytes_ += v.size;
      time_ms = value_time_ms(v).value_or(kNoTime);
    }
    // An unused event's EventRecordID is read only when its time is not plausible (RecordBuilder::finish_unused).
    record_id_.clear();
    builder.take_system(provider_, channel_, event_id_, record_id_, time_ms);
    if (!builder.unused() || !plausible_time(time_ms)) {
      if (!render(decoder, t.record_id, record_id_)) return kWalk;
      builder.take_record_id(record_id_);
    }
    // What the walk would have spent on the same values, so a template of many references stays bounded.
    decoder.charge(t.uses.size() + read_bytes_);
    if (builder.unused()) return kUnused;
    if (!t.whole || !inst.ends_document) return kWalk;
    bool fit = false;
    const Payload p = payload(decoder, t, begin, end, inst, fit);
    read_bytes_ = 0;
    if (!fit || !read_rest(decoder, t, p, builder)) return kWalk;
    const size_t items = t.data.size() + (p.t ? p.t->data.size() + p.t->payload_subs.size() : 0);
    decoder.charge(t.payload_subs.size() + items + read_bytes_);
    return kRecord;
  } catch (const WorkBudgetExceeded&) {
    throw;
  } catch (const DecodeError&) {
    return kWalk;  // the walk reports it
  }
}

}  // namespace kmsdiag::evtx
