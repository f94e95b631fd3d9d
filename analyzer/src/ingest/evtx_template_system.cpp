#include "ingest/evtx_template_system.hpp"

#include <limits>

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

// Follows the events of a definition walked without values the way RecordBuilder follows a record's, up
// to the end of System, noting for each value RecordBuilder would keep where it comes from. It takes only
// documents RecordBuilder reads in one obvious way (Event root, System first, each System child once, no
// children inside a text element): for anything else the template stays unusable and the walk decides.
class Learner final : public BinXmlSink {
 public:
  Learner(const BinXmlDecoder& decoder, const std::vector<uint8_t>& types, TemplateSystem& out)
      : decoder_(decoder), types_(types), out_(out) {}

  void open_element(std::string_view name) override {
    end_attribute();
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
    if (node == Node::kProvider && (name == "Name" || name == "EventSourceName")) {
      attr_ = Attr::kProvider;
      out_.provider.push_back({name == "Name", {}});
    } else if (node == Node::kEventId && name == "Qualifiers") {
      attr_ = Attr::kQualifiers;
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
    TemplateSystem::Text* text = nullptr;
    Rule rule = Rule::kIgnored;
    switch (attr_) {
      case Attr::kProvider:
        text = &out_.provider.back().text;
        rule = Rule::kSame;
        break;
      case Attr::kQualifiers:
        rule = Rule::kFits;
        break;
      case Attr::kSystemTime:
        rule = Rule::kSame;
        if (time_values_++) return reject();  // the last readable one would win
        break;
      case Attr::kIgnored:
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
          case Node::kComputer:
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
      if (attr_ != Attr::kNone && attr_values_ == 1) attr_use_ = out_.uses.size();
      out_.uses.push_back({sub, rule, types_[sub], attr_ == Attr::kNone && null_content_harmless()});
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
    if (stack_.empty()) return reject();
    const Node node = stack_.back();
    stack_.pop_back();
    if (node == Node::kSystem) {
      out_.usable = true;
      done_ = true;
    }
  }

  bool done() const override { return done_; }

 private:
  enum class Attr : uint8_t { kNone, kIgnored, kProvider, kQualifiers, kSystemTime };
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
  bool done_ = false;
  std::string scratch_;
};

// Learns where the System values of `definition` come from by walking it without values. Charges the
// chunk's budget (throws WorkBudgetExceeded); a definition the walk fails on is learned as not usable.
TemplateSystem learn_template_system(BinXmlDecoder& decoder, const BinXmlDecoder::Instance& definition) {
  TemplateSystem t;
  t.count = definition.count;
  std::vector<uint8_t> types(definition.count);
  for (uint32_t i = 0; i < definition.count; ++i) types[i] = decoder.instance_value(i).type;
  Learner learner(decoder, types, t);
  try {
    decoder.walk_definition(definition, learner);
  } catch (const WorkBudgetExceeded&) {
    throw;
  } catch (const DecodeError&) {
    t.usable = false;
  }
  return t;
}

}  // namespace

bool TemplateSystems::render(const BinXmlDecoder& decoder, const TemplateSystem::Text& text, std::string& out) {
  out.clear();
  for (const auto& part : text) {
    if (!part.is_sub) {
      out += part.literal;
      continue;
    }
    const Value& v = decoder.instance_value(part.sub);
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
      scratch_.clear();
      if (!append_value(scratch_, v)) return false;
    }
  }
  return true;
}

bool TemplateSystems::read(BinXmlDecoder& decoder, uint32_t begin, uint32_t end, RecordBuilder& builder) {
  try {
    BinXmlDecoder::Instance inst;
    if (!decoder.instance(begin, end, inst)) return false;
    auto it = templates_.find(inst.definition);
    if (it == templates_.end()) {
      it = templates_.emplace(inst.definition, learn_template_system(decoder, inst)).first;
      decoder.instance(begin, end, inst);  // learning replaced the instance's values
    }
    const TemplateSystem& t = it->second;
    if (!t.usable || inst.count != t.count) return false;
    read_bytes_ = 0;
    if (!values_fit(decoder, t)) return false;
    provider_.clear();
    for (const auto& attr : t.provider)
      if ((attr.is_name || provider_.empty()) && !render(decoder, attr.text, provider_)) return false;
    if (!render(decoder, t.channel, channel_) || !render(decoder, t.event_id, event_id_) ||
        !render(decoder, t.record_id, record_id_))
      return false;
    int64_t time_ms = t.time_ms;
    if (t.time_is_sub) {
      const Value& v = decoder.instance_value(t.time_sub);
      read_bytes_ += v.size;
      time_ms = value_time_ms(v).value_or(kNoTime);
    }
    // What the walk would have spent on the same values, so a template of many references stays bounded.
    decoder.charge(t.uses.size() + read_bytes_);
    builder.take_system(provider_, channel_, event_id_, record_id_, time_ms);
    return builder.unused();
  } catch (const WorkBudgetExceeded&) {
    throw;
  } catch (const DecodeError&) {
    return false;  // the walk reports it
  }
}

}  // namespace kmsdiag::evtx
