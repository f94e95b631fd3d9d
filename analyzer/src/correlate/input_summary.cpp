#include <regex>

#include "correlate/correlation_steps.hpp"

namespace kmsdiag::correlation {
namespace {

// Windows names the exported host log "Key Management Service.evtx"; an empty host log has no
// 12290 to reveal its channel, so the name is the only sign it is one.
bool named_like_kms_log(std::string_view path) {
  static const std::regex pattern("key ?management ?service", std::regex::icase | std::regex::optimize);
  const size_t slash = path.find_last_of("/\\!");
  const std::string base(slash == std::string_view::npos ? path : path.substr(slash + 1));
  return std::regex_search(base, pattern);
}

}  // namespace

std::vector<Record> summarise_inputs(const HostRequestLedger& ledger, const std::vector<InputSummary>& inputs) {
  std::vector<Record> out;
  out.reserve(inputs.size());
  for (const auto& in : inputs) {
    Record r;
    r.kind = "input";
    r.source = SourceRef{in.path, "", 0, ""};
    r.set("path", in.path);
    r.set("format", in.format);
    r.set("encoding", in.encoding);
    r.set("bytes", std::to_string(in.bytes));
    r.set("records", std::to_string(in.records));
    r.set("kms_records", std::to_string(in.kms_records));
    r.set("problems", std::to_string(in.problems.size()));
    r.set("skipped", in.skipped);
    r.set("kms_log", flag(ledger.logged_in(in.path) || named_like_kms_log(in.path)));
    r.set("empty", flag(in.records == 0));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace kmsdiag::correlation
