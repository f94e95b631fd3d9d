// Parses the events of one event XML input on several threads. The reader's scanner, which alone
// knows where each event ends (it reads the input in order), hands every event's bytes and its own
// problems here; they are gathered into ranges of about `range_size` bytes that begin and end at
// event boundaries, and each range is parsed as a unit of an OrderedPool whose finish step delivers
// what it yielded. Finish steps run in file order, so the sink receives exactly what parsing every
// event in turn gives, whatever the number of threads; at most 2 x threads ranges are unfinished at
// once, so memory stays bounded. An event's bytes are not copied: they are parsed where the scanner
// read them, in a block of its buffer (EventXmlBlockBuffer::share_blocks) that the range holds until
// it is parsed. In a log where few events are about activation (an Application log) a
// range's records are few, and ranges four times as long hold no more of them while handing a quarter as
// many to the threads (each a wakeup or two): a range is that long while the last one parsed made a Record
// of at most one event in kSparseRecords. A range's yield goes to a part of the sink (RecordSink::part), so what
// the sink does with records may run on the worker too. With one thread every event is parsed at once,
// in place.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "ingest/event_xml_block_buffer.hpp"
#include "ingest/event_xml_parser.hpp"
#include "ingest/ordered_pool.hpp"
#include "ingest/reader.hpp"

namespace kmsdiag {

class EventXmlRanges {
 public:
  static constexpr size_t kSparseRecords = 8, kSparseRangeFactor = 4;
  // A range also ends at this many items: tiny events would make its list of them outgrow its bytes.
  static constexpr size_t kMaxRangeItems = 4096;

  EventXmlRanges(RecordSink& sink, std::string path, const Knowledge* kb, unsigned threads, size_t range_size);
  ~EventXmlRanges();

  // Whether events are parsed on other threads: then their bytes must stay where they are while `block`
  // is held, and the ranges hold it.
  bool threaded() const { return direct_ == nullptr; }
  // One event's bytes, starting at `at`, in `block` when threaded(). They may be overwritten (parsed in place).
  void add_event(char* text, size_t size, const EventXmlPlace& at, const EventXmlBlockBuffer::Block& block);
  // A problem the scanner found, delivered after the events before it.
  void add_problem(Problem&& p);
  // Hands on the range gathered so far: its events are all in the block it holds.
  void flush();
  // Parses what is left and returns when everything was delivered; rethrows what a unit threw.
  void finish();

 private:
  // An event of a range: its bytes, in the block the range holds, and where it starts in the input.
  struct PendingEvent {
    char* text;
    size_t size;
    EventXmlPlace at;
  };
  using Items = std::vector<std::variant<PendingEvent, Problem>>;  // a range's, in input order
  struct Range;
  void parse(Range& range);
  std::unique_ptr<EventXmlParser> take_parser();
  std::shared_ptr<Range> new_range();

  RecordSink& sink_;
  std::string path_;
  const Knowledge* kb_;
  size_t range_size_;
  std::atomic<bool> sparse_ = false;        // the range parsed last made few Records: gather longer ones
  std::unique_ptr<EventXmlParser> direct_;  // one thread: parses here, as events come
  std::shared_ptr<Range> range_;            // being gathered
  size_t range_bytes_ = 0;                  // of the events in range_
  std::mutex parsers_mutex_;
  std::vector<std::unique_ptr<EventXmlParser>> parsers_;  // one per thread at a time, reused
  // The item lists of parsed ranges, kept for the next ones: freed and allocated anew, each cost the heap a trim
  // (madvise) and its pages a fault again, range after range.
  std::vector<Items> spare_items_;
  OrderedPool pool_;  // last: its destructor waits for units that still use the members above
};

}  // namespace kmsdiag
