// Binary XML (BinXml) decoding for one EVTX chunk: tokens, element/attribute names from the chunk's
// string table, template instances (definitions resident in the record or referenced by chunk
// offset), substitution arrays, nested templates and BinXml-typed substitution values.
//
// The decoder never builds XML text: it reports the document as a stream of events to a sink, and
// values as typed byte ranges the sink renders only if it wants them.
#pragma once

#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/evtx_value.hpp"

namespace kmsdiag::evtx {

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The chunk's work budget is spent: no later record of the chunk can be decoded either.
struct WorkBudgetExceeded : DecodeError {
  using DecodeError::DecodeError;
};

class BinXmlSink {
 public:
  virtual ~BinXmlSink() = default;
  virtual void open_element(std::string_view name) = 0;
  // Values that follow belong to this attribute until the next attribute or close_start().
  virtual void attribute(std::string_view name) = 0;
  virtual void close_start() = 0;  // end of the attribute list: values that follow are element content
  virtual void value(const Value& v) = 0;
  virtual void end_element() = 0;
  // True once the sink has all it wants of this record: the decoder stops walking it.
  virtual bool done() const { return false; }
  // Only while a definition is walked without values (walk_definition): the element about to open has one
  // substitution for its whole content, where a null optional value leaves the element out and an array
  // gives one element per item.
  virtual void substituted_content(bool /*optional*/) {}
};

class BinXmlDecoder {
 public:
  // Limits that keep hostile input bounded: template nesting, and the work (tokens walked + value
  // bytes substituted) one chunk may cost. Templates let a few bytes expand into a tree many times
  // their size, so the budget is per chunk and proportional to its bytes: the decoding time of a
  // whole file is then linear in its size, whatever its records do. Real logs need under 2 steps a
  // byte (the corpus and generated logs, measured chunk by chunk), so 64 leaves ample room.
  static constexpr int kMaxTemplateDepth = 12;
  static constexpr uint64_t kWorkPerByte = 64;

  // Starts a new chunk: names and template definitions are chunk-relative; a fresh work budget.
  void set_chunk(const uint8_t* chunk, uint32_t size);
  uint64_t work() const { return work_; }
  // Spends `units` of the chunk's work budget; throws WorkBudgetExceeded when it is spent. Public for
  // the template shortcut (evtx_template_system), which reads values without walking tokens.
  // Inline, the check only: it runs for every token and value (tens of times a record).
  void charge(uint64_t units) {
    if (units > budget_ - work_) budget_exceeded();  // work_ never passes budget_
    work_ += units;
  }
  uint64_t budget() const { return budget_; }
  // Decodes the BinXml document of a record occupying [begin, end) of the chunk. Throws DecodeError.
  void decode(uint32_t begin, uint32_t end, BinXmlSink& sink);

  // A template instance: where its definition is (the chunk offset that names the template in the
  // chunk) and its substitution values.
  struct Instance {
    uint32_t definition = 0;
    uint32_t body_begin = 0, body_end = 0;
    uint32_t count = 0;  // substitution values: instance_value(0 .. count-1)
    // From instance() and nested_instance(): nothing follows the instance in its document but its end, so
    // the walk of the document is the walk of the instance.
    bool ends_document = false;
  };
  // Reads the template instance a record's document [begin, end) opens with (after its fragment
  // header), with the same checks decode() makes, but walks nothing: false when the document starts
  // otherwise. Throws DecodeError.
  bool instance(uint32_t begin, uint32_t end, Instance& out);
  // Substitution value `i` (< Instance::count) of the instance last read by instance().
  const Value& instance_value(uint32_t i) const { return subs_[i]; }
  // Reads the template instance an embedded document `v` (a kBinXml value of the instance last read) opens
  // with, as instance() does; its values follow the outer instance's: instance_value(base + i). False when
  // the document starts otherwise. Throws DecodeError.
  bool nested_instance(const Value& v, Instance& out, uint32_t& base);

  // Walks the body of `definition` without values: substitution N is delivered to the sink as a
  // marker (type kSubstitutionMarker, no bytes; marker_index() gives N), so the sink learns which
  // substitution feeds which part of the document. Charged to the chunk's budget like decode().
  static constexpr uint8_t kSubstitutionMarker = 0x7f;  // no EVTX value type; no array flag
  void walk_definition(const Instance& definition, BinXmlSink& sink);
  uint32_t marker_index(const Value& marker) const { return static_cast<uint32_t>(marker.data - chunk_); }

 private:
  struct Cursor {
    uint32_t pos;
    uint32_t end;
  };
  // Reads a template instance token at c (definition resident or referenced, then the substitution
  // array, appended to subs_) and moves c past it. Returns where its values start in subs_.
  uint32_t read_instance(Cursor& c, int depth, Instance& out);
  // After read_instance(): whether the document [.., c.end) ends at c.pos (EndOfStream or no more bytes).
  bool at_document_end(const Cursor& c) const;
  void fragment(Cursor& c, uint32_t subs_base, uint32_t subs_count, int depth, BinXmlSink& sink);
  void template_instance(Cursor& c, int depth, BinXmlSink& sink);
  // Handles an element whose whole content is one substitution (null optional: left out; array: one
  // element per item). False, consuming nothing, for every other element.
  bool substituted_element(Cursor& c, std::string_view name, uint32_t attr_end, uint32_t subs_base, uint32_t subs_count,
                           int depth, BinXmlSink& sink);
  void substitution(const Value& v, int depth, BinXmlSink& sink);
  std::string_view name_ref(Cursor& c);  // reads a name offset, skipping the name when it is inline
  std::string_view name_at(uint32_t offset);
  const uint8_t* need(const Cursor& c, uint32_t n) const {
    if (n > c.end - c.pos) runs_past(c);
    return chunk_ + c.pos;
  }
  [[noreturn]] void runs_past(const Cursor& c) const;
  [[noreturn]] void budget_exceeded() const;

  const uint8_t* chunk_ = nullptr;
  uint32_t size_ = 0;
  uint64_t work_ = 0;  // spent in this chunk
  uint64_t budget_ = 0;
  // Names decoded in this chunk, found by chunk offset through a flat index: a lookup per element and
  // attribute is the decoder's most frequent operation, too frequent for a hash map. An index entry
  // is valid when its stamp is this chunk's, so starting a chunk clears nothing.
  // [0, name_count_) live, the rest keep their capacity; a deque, because callers hold views of names
  // while more are added.
  std::deque<std::string> names_;
  uint32_t name_count_ = 0;
  std::vector<uint32_t> name_stamp_, name_slot_;  // by chunk offset
  uint32_t chunk_stamp_ = 0;
  std::vector<Value> subs_;  // substitution arrays of the open template instances
  std::string scratch_;
};

}  // namespace kmsdiag::evtx
