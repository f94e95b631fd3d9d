// Shared helpers for the EVTX reader tests: where the fixtures are and a sink that keeps everything.
#pragma once

#include <string>
#include <vector>

#include "ingest/reader.hpp"

namespace kmsdiag::evtx_test {

inline std::string fixture(const std::string& name) {
  return std::string(KMSDIAG_BINARY_DIR) + "/tests/fixtures/evtx/" + name + ".evtx";
}
inline std::string corpus(const std::string& name) { return std::string(KMSDIAG_CORPUS_DIR) + "/real/" + name; }

struct CollectingSink : RecordSink {
  std::vector<Record> records;
  std::vector<UnusedEvent> unused;
  std::vector<Problem> problems;
  void on_record(Record&& r) override { records.push_back(std::move(r)); }
  void on_unused_event(UnusedEvent&& e) override { unused.push_back(std::move(e)); }
  void on_problem(Problem&& p) override { problems.push_back(std::move(p)); }
};

// Reads `path` with `reader` into a fresh sink.
inline CollectingSink read_all(Reader& reader, const std::string& path) {
  CollectingSink sink;
  FileSource in(path);
  reader.read(in, sink);
  return sink;
}

}  // namespace kmsdiag::evtx_test
