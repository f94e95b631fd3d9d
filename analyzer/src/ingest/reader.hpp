// The contract between input formats and the rest of the pipeline.
//
// A Reader turns one ByteSource into Records and Problems, streaming: it never holds more than one
// record's worth of input (plus a bounded block buffer). Bad content is never fatal: the reader
// reports a Problem naming the position and carries on with the next record it can trust.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/byte_source.hpp"
#include "knowledge/knowledge.hpp"
#include "model/record.hpp"

namespace kmsdiag {

// An event a reader classified from its System header alone as needing no Record: not about activation
// (no layout for its id, or not from a licensing source: Knowledge::activation_layout), or about it but
// of a layout whose facts nothing reads (EventLayout::counted_only). Most of a customer's logs are such
// events: only what counting them and checking their time need is kept.
struct UnusedEvent {
  std::string key;  // ignored_event_key(): how Analysis::ignored_events counts it; empty when `counted`
  // Its record_id may be left empty when time_ms is plausible: the problem saying it is not is all that reads
  // it (an EVTX reader then does not render it).
  SourceRef source;
  int64_t time_ms = kNoTime;
  const EventLayout* counted = nullptr;  // the counted_only layout of an event about activation, else null
};

// Whether an event of this layout (Knowledge::activation_layout: null when it is not about activation) needs a
// Record: one about activation whose facts something reads. Readers hand the others on as UnusedEvents naming
// the layout as `counted`.
inline bool needs_record(const EventLayout* layout) { return layout != nullptr && !layout->counted_only; }

class RecordPart;

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void on_record(Record&& record) = 0;
  virtual void on_problem(Problem&& problem) = 0;
  // Only readers made with the knowledge tables (the format registry's) send these; a sink that
  // collects what a reader built has nothing to do with them.
  virtual void on_unused_event(UnusedEvent&& event) { (void)event; }
  // Where a reader that decodes independent parts of one input on worker threads (EVTX chunks, ranges
  // of event XML) sends each part's yield; see RecordPart. Called on the reader's thread. By default
  // the part holds what it is sent and replays it into this sink in its turn; a sink whose own work
  // can run out of turn (interpreting records) returns a part that does that work on the worker.
  virtual std::unique_ptr<RecordPart> part();
};

// A sink for one part of an input, used on the worker thread that decodes the part: the records,
// unused events and problems the part yields go to it in the part's order. In the part's turn (parts
// in input order, one at a time) the reader calls deliver(), which hands the result on to the sink the
// part came from, as if it had been sent there directly.
class RecordPart : public RecordSink {
 public:
  // `shift` is added to every position the part's records and problems name: a reader that learns how
  // many records came before a part only in its turn (EVTX) numbers the part's records from 1.
  virtual void deliver(uint64_t shift) = 0;
};

struct ReadStats {
  uint64_t records = 0;   // records delivered to the sink, unused events included
  uint64_t bytes = 0;     // bytes consumed from the source
  uint64_t problems = 0;  // problems reported
};

class Reader {
 public:
  virtual ~Reader() = default;
  virtual ReadStats read(ByteSource& in, RecordSink& sink) = 0;
  // How many threads one read may use. A format whose input splits into independent units (EVTX
  // chunks) decodes them on that many; the records still arrive in input order. Others ignore it.
  virtual void use_threads(unsigned threads) { (void)threads; }
};

// Payload items (Data, UserData leaves, Properties) an event keeps. A real licensing event has fewer
// than 20; one with hundreds of thousands is damaged or hostile and would cost memory and time for
// nothing, so the rest is left out and said so (too_many_data_items).
inline constexpr size_t kMaxDataItems = 1024;
// The problem text for an event that had `count` (> kMaxDataItems) payload items.
inline std::string too_many_data_items(size_t count) {
  return std::to_string(count) + " payload (Data) items, more than any real event has; kept the first " +
         std::to_string(kMaxDataItems);
}

// A format the pipeline knows: a name, a content test, and a factory.
struct FormatInfo {
  std::string name;  // stable id shown in reports: "event-xml", "evtx", "slmgr-text", ...
  // Confidence 0..100 that `head` (the first bytes of the input, already decoded to UTF-8 when
  // `text` is true) starts an input of this format. 0 = not this format.
  // Readers of localized text get their label sets from the knowledge tables.
  std::function<int(std::string_view head, const Knowledge& kb)> detect;
  std::function<std::unique_ptr<Reader>(const Knowledge& kb)> make;
  bool text = true;  // true: the reader wants UTF-8 text (the registry decodes UTF-16 / CP932 first)
};

// Every format compiled in, in a fixed order (ties go to the earlier one).
const std::vector<FormatInfo>& formats();

// The best format for this head, or nullptr when none claims it.
const FormatInfo* detect_format(std::string_view raw_head, std::string_view utf8_head, const Knowledge& kb);

}  // namespace kmsdiag
