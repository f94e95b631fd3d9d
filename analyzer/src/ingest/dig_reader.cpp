// dig: "; <<>> DiG ... <<>>" opens each query; the header line carries the rcode ("status: NXDOMAIN");
// answers are zone-file lines ("<name> <ttl> IN SRV <prio> <weight> <port> <target>"); an SOA without
// answers is NODATA; ";; connection timed out" (or a communications error that timed out) is a timeout.
// dig is not localized, and its tokens are protocol syntax, so no label table is involved.

#include "ingest/labeled_text.hpp"
#include "ingest/srv_lookup_readers.hpp"
#include "ingest/srv_lookup_record.hpp"

namespace kmsdiag {
namespace {

constexpr std::string_view kFormat = "dig-srv";

// rcode mnemonic -> cmd.srv-lookup status; NOERROR leaves the answers to decide (records / nodata).
std::string rcode_status(std::string_view rcode) {
  const std::string r = ascii_lower(rcode);
  if (r == "noerror") return "nodata";
  if (r == "nxdomain" || r == "servfail" || r == "refused") return r;
  return "error";
}

class DigReader final : public Reader {
 public:
  ReadStats read(ByteSource& in, RecordSink& sink) override {
    SrvLookupScan scan(in, sink, kFormat);
    SrvLookup& q = scan.lookup();
    bool question = false;
    std::string_view text;
    uint64_t no = 0;
    while (scan.next(text, no)) {
      if (text.empty()) continue;
      if (text.starts_with("; <<>> DiG")) {
        scan.finish();
        q.line = no;
        for (const auto& w : split_words(text.substr(text.rfind("<<>>") + 4)))
          if (ascii_lower(w).starts_with("_vlmcs")) q.query = w;
        continue;
      }
      if (q.line == 0) q.line = no;
      if (const size_t at = text.find("status: "); text.starts_with(";; ->>HEADER<<-") && at != std::string::npos) {
        const std::string_view rest = text.substr(at + 8);
        q.status = rcode_status(rest.substr(0, rest.find(',')));
        continue;
      }
      if (text.starts_with(";; QUESTION SECTION")) {
        question = true;
        continue;
      }
      if (question && text.starts_with(";") && !text.starts_with(";;")) {
        if (const auto w = split_words(text.substr(1), 1); !w.empty()) q.query = w.front();
        question = false;
        continue;
      }
      const std::string lower = ascii_lower(text);
      if (text.starts_with(";;") && lower.find("timed out") != std::string::npos) {
        if (q.status.empty()) q.status = "timeout";
        continue;
      }
      if (text.starts_with(";; SERVER:")) {
        const auto w = split_words(text.substr(10));
        if (!w.empty()) q.server = w.front().substr(0, w.front().find('('));
        continue;
      }
      if (text.starts_with(";")) continue;
      const auto w = split_words(text);
      if (w.size() >= 8 && ascii_lower(w[3]) == "srv") {
        if (q.query.empty()) q.query = w[0];
        if (q.targets.size() < kSrvMaxTargets) q.targets.push_back({w[4], w[5], w[6], w[7]});
      } else if (w.size() >= 4 && ascii_lower(w[3]) == "soa") {
        q.saw_soa = true;
      }
    }
    return scan.done();
  }
};

int detect_dig(std::string_view head, const Knowledge&) {
  bool banner = false, srv = false;
  for (auto line : head_lines(head)) {
    if (line.starts_with("; <<>> DiG")) banner = true;
    const std::string lower = ascii_lower(line);
    if (lower.find("srv") != std::string::npos && lower.find("_vlmcs") != std::string::npos) srv = true;
  }
  return banner ? (srv ? 90 : 40) : 0;
}

}  // namespace

FormatInfo dig_srv_format() {
  return FormatInfo{"dig-srv", detect_dig, [](const Knowledge&) { return std::make_unique<DigReader>(); }, true};
}

}  // namespace kmsdiag
