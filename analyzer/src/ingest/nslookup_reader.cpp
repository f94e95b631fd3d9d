// nslookup: "Server:" starts a query's output; "<name> SRV service location:" starts an answer whose
// priority / weight / port / svr hostname follow as "label = value"; failures are "*** ..." lines that
// end in a status phrase, which nslookup prints in English in every language.
#include <set>

#include "ingest/labeled_text.hpp"
#include "ingest/srv_lookup_readers.hpp"
#include "ingest/srv_lookup_record.hpp"

namespace kmsdiag {
namespace {

constexpr std::string_view kFormat = "nslookup-srv";

// "C:\> nslookup -type=srv _vlmcs._tcp.corp.example 10.0.0.1" -> the first operand.
std::string command_query(std::string_view line) {
  const std::string lower = ascii_lower(line);
  size_t at = lower.find("nslookup");
  if (at == std::string::npos) return {};
  std::string_view rest = line.substr(at + 8);
  while (!rest.empty()) {
    rest = strip_leading_blanks(rest);
    const size_t end = rest.find_first_of(" \t");
    const std::string_view word = rest.substr(0, end);
    if (!word.empty() && word[0] != '-' && word[0] != '>') return std::string(word);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end);
  }
  return {};
}

// The queried name in a "*** <server> can't find <name>: <status>" line in any language: the first
// word after the server that looks like a DNS name.
std::string failure_query(std::string_view line) {
  std::string_view rest = strip_leading_blanks(line.substr(3));
  bool first = true;
  while (!rest.empty()) {
    const size_t end = rest.find_first_of(" \t");
    std::string_view word = rest.substr(0, end);
    while (!word.empty() && word.back() == ':') word.remove_suffix(1);
    if (!first && (word.starts_with("_") || word.find('.') != std::string_view::npos) &&
        word.find_first_of("\x80\xE3\xEF") == std::string_view::npos) {
      return std::string(word);
    }
    first = false;
    if (end == std::string_view::npos) break;
    rest = strip_leading_blanks(rest.substr(end));
  }
  return {};
}

// "nslookup ..." at the start of a line or after a prompt ("C:\>", "PS C:\>").
bool is_command_line(std::string_view line) {
  const std::string lower = ascii_lower(strip_leading_blanks(line));
  const size_t at = lower.find("nslookup");
  return at == 0 || (at != std::string::npos && lower.find('>') < at);
}

class NslookupReader final : public Reader {
 public:
  explicit NslookupReader(const Knowledge& kb) : labels_(kb, "nslookup") {}

  ReadStats read(ByteSource& in, RecordSink& sink) override {
    SrvLookupScan scan(in, sink, kFormat);
    SrvLookup& q = scan.lookup();
    bool server_seen = false;
    auto finish = [&] {
      scan.finish();
      server_seen = false;
    };
    std::string_view text;
    uint64_t no = 0;
    while (scan.next(text, no)) {
      if (text.empty()) continue;
      if (is_command_line(text)) {
        finish();
        q.line = no;
        q.query = command_query(text);
        continue;
      }
      if (text.starts_with("***")) {
        // Before "Server:" these lines are about the server itself ("Can't find server name for address").
        if (!server_seen) continue;
        if (const auto status = labels_.find_value(text)) q.status = *status;
        if (q.status.empty()) q.status = "error";
        if (const std::string name = failure_query(text); !name.empty()) q.query = name;
        continue;
      }
      if (labels_.find_value(text) == "srv_answer") {
        if (q.line == 0) q.line = no;
        const size_t end = text.find_first_of(" \t");
        q.query = std::string(text.substr(0, end));
        if (q.targets.size() < kSrvMaxTargets) q.targets.emplace_back();
        continue;
      }
      const auto m = labels_.match(text);
      if (!m) continue;
      if (m->key == "server") {
        // A second "Server:" means a second query's output.
        if (server_seen && (!q.targets.empty() || !q.status.empty() || q.saw_soa)) finish();
        if (q.line == 0) q.line = no;
        q.server = m->value;
        server_seen = true;
      } else if (m->key == "status") {
        // Before "Server:" a timeout is nslookup's reverse lookup of the server's own address.
        if (server_seen && q.status.empty()) q.status = m->value;
      } else if (m->key == "soa") {
        q.saw_soa = true;
      } else if (!q.targets.empty()) {
        PrintedSrvTarget& t = q.targets.back();
        if (m->key == "srv_priority") t.priority = m->value;
        if (m->key == "srv_weight") t.weight = m->value;
        if (m->key == "srv_port") t.port = m->value;
        if (m->key == "srv_target") t.host = m->value;
      }
    }
    return scan.done();
  }

 private:
  LabelMatcher labels_;
};

int detect_nslookup(std::string_view head, const Knowledge& kb) {
  const LabelMatcher labels(kb, "nslookup");
  if (labels.empty()) return 0;
  bool server = false, srv = false, failure = false, command = false;
  for (auto raw : head_lines(head)) {
    const std::string_view line = strip_leading_blanks(raw);
    if (const auto m = labels.match(line); m && m->key == "server") server = true;
    if (labels.find_value(line) == "srv_answer") srv = true;
    if (line.starts_with("***") && labels.find_value(line)) failure = true;
    if (is_command_line(line) && ascii_lower(line).find("srv") != std::string::npos) command = true;
  }
  if (srv) return 85;
  if ((server || command) && failure) return 80;
  if (command && server) return 50;
  return 0;
}

}  // namespace

FormatInfo nslookup_srv_format() {
  return FormatInfo{"nslookup-srv", detect_nslookup,
                    [](const Knowledge& kb) { return std::make_unique<NslookupReader>(kb); }, true};
}

}  // namespace kmsdiag
