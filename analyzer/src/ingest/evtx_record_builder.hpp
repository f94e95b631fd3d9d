// Turns the decoded BinXml of one event into an `event` Record (fields per rules/records.md):
// System fields by element path, EventData <Data> items (by position and by Name), and the leaf
// elements of a UserData block as data items named after the element: the same fields
// event_xml_record.cpp derives from an exported <Event>. Buffers are reused from one
// record to the next, so a steady stream of events allocates little beyond the Records themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ingest/evtx_binxml.hpp"
#include "ingest/reader.hpp"
#include "model/record.hpp"

namespace kmsdiag::evtx {

class RecordBuilder final : public BinXmlSink {
 public:
  // Which events are about activation: (provider, channel, event id) -> their layout, null for none
  // (Knowledge::activation_layout). Most of a customer's Application log is other software's noise, and
  // most of the rest events whose facts nothing reads (EventLayout::counted_only); for those decoding stops
  // where the System element ends (it is all the event is counted by) and no record is built: see unused().
  using Classifier =
      std::function<const EventLayout*(std::string_view provider, std::string_view channel, std::string_view event_id)>;
  explicit RecordBuilder(Classifier about_activation = {}) : about_activation_(std::move(about_activation)) {}

  void reset();  // before each record
  // Moves what was collected into `out` (kind, machine, time, EventRecordID, fields). `fallback_time_ms` is used
  // when the event has no TimeCreated (the record header's written time).
  void finish(Record& out, uint64_t header_record_id, int64_t fallback_time_ms);
  // The event needs no record (only with a classifier): finish_unused() instead of finish().
  bool unused() const { return unused_; }
  // Fills key (or counted), time and, when the time is not plausible (the undated problem names it; nothing
  // else reads it), source.record_id of `out`: most of a log is such events, and their ids went unread.
  void finish_unused(UnusedEvent& out, uint64_t header_record_id, int64_t fallback_time_ms) const;
  // Values whose bytes did not fit their type (rendered as empty text).
  int bad_values() const { return bad_values_; }

  // True when the builder has a classifier: only then can an event be unused().
  bool classifies() const { return static_cast<bool>(about_activation_); }
  // The System values of an event read from its template instance without walking it
  // (evtx_template_system), as the walk would have collected them: classifies the event as the end of
  // its System element does. After reset(); swaps the texts in, so both sides keep their buffers.
  void take_system(std::string& provider, std::string& channel, std::string& event_id, std::string& record_id,
                   int64_t time_ms);
  // The rest of an event about activation read the same way, after take_system(): Level and Computer,
  // the Qualifiers attribute's text when there is one (swapped in), then each Data item in turn: add_data()
  // gives an emptied (name, value) pair to fill, the value trimmed.
  void take_rest(std::string& level, std::string& computer, std::string* qualifiers);
  // The EventRecordID, when take_system() was given none (swapped in).
  void take_record_id(std::string& record_id) { record_id_.swap(record_id); }
  std::pair<std::string, std::string>& add_data();

  enum class Node : uint8_t {
    kOther,
    kEvent,
    kSystem,
    kProvider,
    kEventId,
    kLevel,
    kTimeCreated,
    kRecordId,
    kChannel,
    kComputer,
    kEventData,
    kData,
    kUserData,
    kUserDataNode
  };
  // What an element is, by its name and its parent's kind (the root may be Event).
  static Node classify(Node parent, std::string_view name);

  void open_element(std::string_view name) override;
  void attribute(std::string_view name) override;
  void close_start() override;
  void value(const Value& v) override;
  void end_element() override;
  bool done() const override { return unused_; }

 private:
  enum class Attr : uint8_t { kNone, kIgnored, kProviderName, kQualifiers, kSystemTime, kDataName };
  struct Open {
    Node node;
    bool has_child;
    std::string_view name;
  };

  std::string* text_target();
  void normalize_id();
  void classify_event();
  // The EventRecordID, written over `into`: System's, else the record header's.
  void record_id(uint64_t header_record_id, std::string& into) const;

  std::vector<Open> stack_;
  Attr attr_ = Attr::kNone;
  std::string text_;  // content of the innermost open element that keeps text
  std::string provider_, event_id_, qualifiers_, level_, record_id_, channel_, computer_, data_name_;
  int64_t time_ms_ = kNoTime;
  bool has_qualifiers_ = false;
  // (name, value) per data item; `data_count_` are live, the rest keep their capacity for reuse.
  std::vector<std::pair<std::string, std::string>> data_;
  size_t data_count_ = 0;
  int bad_values_ = 0;
  Classifier about_activation_;
  bool unused_ = false;
  // The event id as records carry it (the low 16 bits of a number), and the qualifiers a full
  // 32-bit id implies: set when System ends.
  std::string id_;
  std::optional<uint32_t> id_qualifiers_;
  // What an event's provider, channel and id (as written) make of it. A log repeats the same few kinds of
  // events (a template per kind, in every chunk), so each is classified, its id normalised and its ignored
  // key made once.
  struct Verdict {
    const EventLayout* layout;
    std::string id;  // id_ and id_qualifiers_ for this id text
    std::optional<uint32_t> id_qualifiers;
    std::string ignored_key;  // ignored_event_key() of an event not about activation, else ""
  };
  std::unordered_map<std::string, Verdict> verdicts_;
  const Verdict* verdict_ = nullptr;  // of the event classified last
  std::string kind_key_;
};

}  // namespace kmsdiag::evtx
