// Reads every input under the given paths — files, folders (recursively) and archives — detecting
// each one's encoding and format from its content, and streams the records into one sink.
// One bad file never stops the others; every file ends up in the returned summaries.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ingest/archive_reader.hpp"
#include "ingest/reader.hpp"
#include "model/analysis.hpp"

namespace kmsdiag {

class IngestSink : public RecordSink {
 public:
  virtual void begin_input(const std::string& path) { (void)path; }
  virtual void end_input(InputSummary& summary) { (void)summary; }
};

// Reads one source (already opened): one summary, or one per member when it is an archive. A reader
// that splits its input into independent units may decode them on `threads` threads. `nesting`: the
// archives the source sits in (none by default), whose limits an archive in it shares.
void ingest_source(ByteSource& source, const Knowledge& kb, IngestSink& sink, std::vector<InputSummary>& out,
                   unsigned threads = 1, const ArchiveNesting& nesting = {});

// Where concurrent ingest delivers records: one sink per unit of work (an input file, or an archive
// member), opened on the thread that reads it. Each sink comes back to close(), together with the
// summaries of what it read, one at a time and in input order, whatever order the units ran in.
class IngestSinks {
 public:
  virtual ~IngestSinks() = default;
  virtual std::unique_ptr<IngestSink> open() = 0;  // any thread
  virtual void close(std::unique_ptr<IngestSink> sink, std::vector<InputSummary>& summaries) = 0;
};

// Walks `paths` and reads every input on `jobs` threads (1: all on the caller). A path that does not
// exist becomes a summary with `skipped` set. Summaries come back in input order.
std::vector<InputSummary> ingest_paths(const std::vector<std::string>& paths, const Knowledge& kb, IngestSinks& sinks,
                                       unsigned jobs);

// The same on the calling thread, every record into one sink.
std::vector<InputSummary> ingest_paths(const std::vector<std::string>& paths, const Knowledge& kb, IngestSink& sink);

}  // namespace kmsdiag
