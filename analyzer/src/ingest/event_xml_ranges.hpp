// Parses the events of one event XML input on several threads. The reader's scanner, which alone
// knows where each event ends (it reads the input in order), hands every event's bytes and its own
// problems here; they are gathered into ranges of about `range_size` bytes that begin and end at
// event boundaries, and each range is parsed as a unit of an OrderedPool whose finish step delivers
// what it yielded. Finish steps run in file order, so the sink receives exactly what parsing every
// event in turn gives, whatever the number of threads; at most 2 x threads ranges are unfinished at
// once, so memory stays bounded. In a log where few events are about activation (an Application log) a
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
#include <vector>

#include "ingest/event_xml_parser.hpp"
#include "ingest/ordered_pool.hpp"
#include "ingest/reader.hpp"

namespace kmsdiag {

class EventXmlRanges {
 public:
  static constexpr size_t kSparseRecords = 8, kSparseRangeFactor = 4;

  EventXmlRanges(RecordSink& sink, std::string path, const Knowledge* kb, unsigned threads, size_t range_size);
  ~EventXmlRanges();

  // One event's bytes, starting at `at`. They may be overwritten (parsed in place).
  void add_event(char* text, size_t size, const EventXmlPlace& at);
  // A problem the scanner found, delivered after the events before it.
  void add_problem(Problem&& p);
  // Parses what is left and returns when everything was delivered; rethrows what a unit threw.
  void finish();

 private:
  struct Range;
  void submit();
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
  std::mutex parsers_mutex_;
  std::vector<std::unique_ptr<EventXmlParser>> parsers_;  // one per thread at a time, reused
  // Byte buffers of parsed ranges, kept for the next ones: a fresh one per range would be allocated,
  // grown, copied and faulted in again (it is too big for the heap's free lists).
  std::vector<std::string> spare_bytes_;
  OrderedPool pool_;  // last: its destructor waits for units that still use the members above
};

}  // namespace kmsdiag
