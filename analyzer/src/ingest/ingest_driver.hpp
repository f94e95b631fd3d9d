// Reads every input under the given paths — files, folders (recursively) and archives — detecting
// each one's encoding and format from its content, and streams the records into one sink.
// One bad file never stops the others; every file ends up in the returned summaries.
#pragma once

#include <string>
#include <vector>

#include "ingest/reader.hpp"
#include "model/analysis.hpp"

namespace kmsdiag {

class IngestSink : public RecordSink {
 public:
  virtual void begin_input(const std::string& path) { (void)path; }
  virtual void end_input(InputSummary& summary) { (void)summary; }
};

// Reads one source (already opened): one summary, or one per member when it is an archive.
void ingest_source(ByteSource& source, const Knowledge& kb, IngestSink& sink, std::vector<InputSummary>& out);

// Walks `paths`; a path that does not exist becomes a summary with `skipped` set.
std::vector<InputSummary> ingest_paths(const std::vector<std::string>& paths, const Knowledge& kb, IngestSink& sink);

}  // namespace kmsdiag
