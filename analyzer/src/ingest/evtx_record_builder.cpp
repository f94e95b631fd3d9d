#include "ingest/evtx_record_builder.hpp"

#include <charconv>
#include <iterator>

#include "model/analysis.hpp"

namespace kmsdiag::evtx {

void RecordBuilder::reset() {
  stack_.clear();
  attr_ = Attr::kNone;
  text_.clear();
  provider_.clear();
  event_id_.clear();
  qualifiers_.clear();
  level_.clear();
  record_id_.clear();
  channel_.clear();
  computer_.clear();
  data_name_.clear();
  time_ms_ = kNoTime;
  has_qualifiers_ = false;
  data_count_ = 0;
  bad_values_ = 0;
  unused_ = false;
  id_.clear();
  id_qualifiers_.reset();
}

void RecordBuilder::normalize_id() {
  // Some producers write the full 32-bit id (qualifiers in the high word) instead of the attribute.
  uint32_t id = 0;
  const std::string_view id_text = trim(event_id_);
  const auto parsed = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  const bool numeric = parsed.ec == std::errc() && parsed.ptr == id_text.data() + id_text.size();
  if (numeric) {
    id_ = std::to_string(id & 0xffff);
    if (id > 0xffff) id_qualifiers_ = id >> 16;
  } else {
    id_.assign(id_text);
  }
}

// When System ends everything the event is counted by is known.
void RecordBuilder::classify_event() {
  if (!about_activation_) return normalize_id();
  kind_key_.assign(provider_).append(1, '\x1f').append(channel_).append(1, '\x1f').append(event_id_);
  auto it = verdicts_.find(kind_key_);
  if (it == verdicts_.end()) {
    if (verdicts_.size() >= 4096) verdicts_.clear();  // garbage input: many "kinds", keep it bounded
    normalize_id();
    Verdict v{about_activation_(trim(provider_), trim(channel_), id_), id_, id_qualifiers_, {}};
    if (!v.layout) ignored_event_key(v.ignored_key, trim(provider_), trim(channel_), id_);
    it = verdicts_.emplace(kind_key_, std::move(v)).first;
  } else {
    id_ = it->second.id;
    id_qualifiers_ = it->second.id_qualifiers;
  }
  verdict_ = &it->second;
  unused_ = !needs_record(verdict_->layout);
}

void RecordBuilder::take_system(std::string& provider, std::string& channel, std::string& event_id,
                                std::string& record_id, int64_t time_ms) {
  provider_.swap(provider);
  channel_.swap(channel);
  event_id_.swap(event_id);
  record_id_.swap(record_id);
  time_ms_ = time_ms;
  classify_event();
}

void RecordBuilder::take_rest(std::string& level, std::string& computer, std::string* qualifiers) {
  level_.swap(level);
  computer_.swap(computer);
  has_qualifiers_ = qualifiers != nullptr;
  if (qualifiers) qualifiers_.swap(*qualifiers);
}

std::pair<std::string, std::string>& RecordBuilder::add_data() {
  if (data_count_ == data_.size()) data_.emplace_back();
  auto& item = data_[data_count_++];
  item.first.clear();
  item.second.clear();
  return item;
}

RecordBuilder::Node RecordBuilder::classify(Node parent, std::string_view name) {
  switch (parent) {
    case Node::kOther:
      return name == "Event" ? Node::kEvent : Node::kOther;
    case Node::kEvent:
      if (name == "System") return Node::kSystem;
      if (name == "EventData") return Node::kEventData;
      if (name == "UserData") return Node::kUserData;
      return Node::kOther;
    case Node::kSystem:
      if (name == "Provider") return Node::kProvider;
      if (name == "EventID") return Node::kEventId;
      if (name == "Level") return Node::kLevel;
      if (name == "TimeCreated") return Node::kTimeCreated;
      if (name == "EventRecordID") return Node::kRecordId;
      if (name == "Channel") return Node::kChannel;
      if (name == "Computer") return Node::kComputer;
      return Node::kOther;
    case Node::kEventData:
      return name == "Data" ? Node::kData : Node::kOther;
    case Node::kUserData:
    case Node::kUserDataNode:
      return Node::kUserDataNode;
    default:
      return Node::kOther;
  }
}

void RecordBuilder::open_element(std::string_view name) {
  // The root may be "Event"; below an unrecognised element everything stays unrecognised.
  Node node = classify(Node::kOther, name);
  if (!stack_.empty()) {
    stack_.back().has_child = true;
    const Node parent = stack_.back().node;
    node = parent == Node::kOther ? Node::kOther : classify(parent, name);
  }
  stack_.push_back(Open{node, false, name});
  attr_ = Attr::kNone;
  text_.clear();
  if (node == Node::kData) data_name_.clear();
}

void RecordBuilder::attribute(std::string_view name) {
  const Node node = stack_.empty() ? Node::kOther : stack_.back().node;
  attr_ = Attr::kIgnored;
  if (node == Node::kProvider && (name == "Name" || (name == "EventSourceName" && provider_.empty()))) {
    attr_ = Attr::kProviderName;  // EventSourceName stands in only when there is no Name
    provider_.clear();
  } else if (node == Node::kEventId && name == "Qualifiers") {
    attr_ = Attr::kQualifiers;
    has_qualifiers_ = true;
    qualifiers_.clear();
  } else if (node == Node::kTimeCreated && name == "SystemTime") {
    attr_ = Attr::kSystemTime;
  } else if (node == Node::kData && name == "Name") {
    attr_ = Attr::kDataName;
    data_name_.clear();
  }
}

void RecordBuilder::close_start() { attr_ = Attr::kNone; }

std::string* RecordBuilder::text_target() {
  switch (attr_) {
    case Attr::kProviderName:
      return &provider_;
    case Attr::kQualifiers:
      return &qualifiers_;
    case Attr::kDataName:
      return &data_name_;
    case Attr::kIgnored:
    case Attr::kSystemTime:
      return nullptr;
    case Attr::kNone:
      break;
  }
  if (stack_.empty()) return nullptr;
  switch (stack_.back().node) {
    case Node::kEventId:
    case Node::kLevel:
    case Node::kRecordId:
    case Node::kChannel:
    case Node::kComputer:
    case Node::kData:
    case Node::kUserDataNode:
      return &text_;
    default:
      return nullptr;
  }
}

void RecordBuilder::value(const Value& v) {
  if (attr_ == Attr::kSystemTime) {
    if (const auto ms = value_time_ms(v)) time_ms_ = *ms;
    return;
  }
  std::string* target = text_target();
  if (target && !append_value(*target, v)) ++bad_values_;
}

void RecordBuilder::end_element() {
  attr_ = Attr::kNone;
  if (stack_.empty()) return;
  const Open top = stack_.back();
  stack_.pop_back();
  auto add_item = [this](std::string_view name) {
    auto& [key, val] = add_data();
    key.assign(name);
    val.assign(trim(text_));
  };
  switch (top.node) {
    case Node::kSystem:
      classify_event();
      break;
    case Node::kEventId:
      event_id_.swap(text_);
      break;
    case Node::kLevel:
      level_.swap(text_);
      break;
    case Node::kRecordId:
      record_id_.swap(text_);
      break;
    case Node::kChannel:
      channel_.swap(text_);
      break;
    case Node::kComputer:
      computer_.swap(text_);
      break;
    case Node::kData:
      add_item(data_name_);
      break;
    case Node::kUserDataNode:
      if (!top.has_child) add_item(top.name);
      break;
    default:
      break;
  }
  text_.clear();
}

void RecordBuilder::finish(Record& out, uint64_t header_record_id, int64_t fallback_time_ms) {
  out.kind = "event";
  out.time_ms = time_ms_ != kNoTime ? time_ms_ : fallback_time_ms;
  out.machine = trim(computer_);
  auto& f = out.fields;
  f.clear();
  f.reserve(8 + 2 * data_count_);
  normalize_id();  // again: a damaged event may have no System end
  // Appended as views, the numbers written in place: this runs for every record about activation.
  f.append("event_id", id_);
  f.append("provider", trim(provider_));
  f.append("channel", trim(channel_));
  record_id(header_record_id, out.source.record_id);
  f.append("record_id", out.source.record_id);
  f.append("level", trim(level_));
  char number[32];
  const auto digits = [&number](uint64_t n) {
    return std::string_view(number, static_cast<size_t>(std::to_chars(number, std::end(number), n).ptr - number));
  };
  if (has_qualifiers_) {
    f.append("qualifiers", trim(qualifiers_));
  } else if (id_qualifiers_) {
    f.append("qualifiers", digits(*id_qualifiers_));
  }
  std::string key = "data.";
  for (size_t i = 0; i < data_count_; ++i) {
    const auto& [name, val] = data_[i];
    key.resize(5);
    f.append(key.append(digits(i)), val);
    if (name.empty()) continue;
    key.resize(5);
    key.append(name);
    if (!out.has(key)) f.append(key, val);  // a repeated name keeps its first value
  }
  f.append("data_count", digits(data_count_));
  f.append("format", "evtx");
}

void RecordBuilder::finish_unused(UnusedEvent& out, uint64_t header_record_id, int64_t fallback_time_ms) const {
  out.counted = verdict_->layout;  // null, or counted_only: the event is unused
  out.key = verdict_->ignored_key;
  out.time_ms = time_ms_ != kNoTime ? time_ms_ : fallback_time_ms;
  if (plausible_time(out.time_ms))
    out.source.record_id.clear();
  else
    record_id(header_record_id, out.source.record_id);
}

void RecordBuilder::record_id(uint64_t header_record_id, std::string& into) const {
  if (record_id_.empty())
    into = std::to_string(header_record_id);
  else
    into.assign(trim(record_id_));
}

}  // namespace kmsdiag::evtx
