// PowerShell `Resolve-DnsName -Type SRV _vlmcs._tcp.<domain>`: answers in the default table view
// (Name Type TTL Section NameTarget Priority Weight Port) or the list view (Format-List), and failures
// as PowerShell error records whose FullyQualifiedErrorId names the DNS error in any language.

#include "ingest/labeled_text.hpp"
#include "ingest/srv_lookup_readers.hpp"
#include "ingest/srv_lookup_record.hpp"

namespace kmsdiag {
namespace {

constexpr std::string_view kFormat = "resolve-dnsname-srv";

// The name operand of a Resolve-DnsName command line (skipping option values).
std::string command_query(const std::vector<std::string>& w, size_t cmd) {
  for (size_t i = cmd + 1; i < w.size(); ++i) {
    const std::string lower = ascii_lower(w[i]);
    if (lower == "-name" && i + 1 < w.size()) return w[i + 1];
    if (lower.starts_with("-")) {
      if (lower != "-dnsonly" && lower != "-nohostsfile" && lower != "-quickTimeout" && i + 1 < w.size()) ++i;
      continue;
    }
    return w[i];
  }
  return {};
}

class ResolveDnsNameReader final : public Reader {
 public:
  explicit ResolveDnsNameReader(const Knowledge& kb) : labels_(kb, "resolve-dnsname") {}

  ReadStats read(ByteSource& in, RecordSink& sink) override {
    SrvLookupScan scan(in, sink, kFormat);
    SrvLookup& q = scan.lookup();
    std::map<std::string, std::string> item;  // one list-view object
    auto finish = [&] { scan.finish(); };
    auto add_target = [&](std::string host, std::string prio, std::string weight, std::string port) {
      if (q.targets.size() < kSrvMaxTargets) q.targets.push_back({prio, weight, port, host});
    };
    auto end_item = [&] {
      const std::string type = ascii_lower(item["type"]);
      if (type == "srv") {
        if (q.query.empty()) q.query = item["name"];
        add_target(item["target"], item["priority"], item["weight"], item["port"]);
      } else if (type == "soa") {
        q.saw_soa = true;
      }
      item.clear();
    };
    std::string_view text;
    uint64_t no = 0;
    while (scan.next(text, no)) {
      if (text.empty()) {
        if (!item.empty()) end_item();
        continue;
      }
      const auto w = split_words(text);
      size_t cmd = w.size();
      for (size_t i = 0; i < w.size(); ++i)
        if (ascii_lower(w[i]) == "resolve-dnsname") cmd = i;
      if (cmd < w.size() && cmd + 1 < w.size() && w[cmd + 1] != ":") {
        if (text.starts_with("+")) continue;  // the echo of the command inside an error record
        finish();
        q.line = no;
        q.query = command_query(w, cmd);
        continue;
      }
      if (cmd == 0 && w.size() > 2 && w[1] == ":") {
        // "Resolve-DnsName : _vlmcs._tcp.x : DNS name does not exist" (message localized, status below).
        if (!q.status.empty() || !q.targets.empty()) finish();
        if (q.line == 0) q.line = no;
        q.query = w[2];
        q.status = "error";
        continue;
      }
      if (text.starts_with("+")) text = strip_leading_blanks(text.substr(1));
      if (const auto m = labels_.match(text)) {
        if (m->key == "error_id") {
          const std::string id = m->value.substr(0, m->value.find(','));
          q.status = labels_.value(id).value_or("error");
          finish();
          continue;
        }
        if (m->key != "ignore" && text.find(':') != std::string_view::npos) {
          if (q.line == 0) q.line = no;
          item[m->key] = m->value;
          continue;
        }
      }
      // Table view: "<name> SRV <ttl> <section> <target> <priority> <weight> <port>", "<zone> SOA ...".
      if (w.size() >= 8 && ascii_lower(w[1]) == "srv") {
        if (q.line == 0) q.line = no;
        if (q.query.empty()) q.query = w[0];
        add_target(w[4], w[5], w[6], w[7]);
      } else if (w.size() >= 4 && ascii_lower(w[1]) == "soa") {
        q.saw_soa = true;
      }
    }
    if (!item.empty()) end_item();
    return scan.done();
  }

 private:
  LabelMatcher labels_;
};

int detect_resolve_dnsname(std::string_view head, const Knowledge&) {
  bool command = false, header = false, srv_row = false, error = false;
  for (auto raw : head_lines(head)) {
    const std::string_view line = strip_leading_blanks(raw);
    const auto w = split_words(line);
    const std::string lower = ascii_lower(line);
    if (lower.find("resolve-dnsname") != std::string::npos) command = true;
    if (w.size() >= 4 && w[0] == "Name" && w[1] == "Type" && w[2] == "TTL" && w[3] == "Section") header = true;
    if (w.size() >= 8 && w[1] == "SRV") srv_row = true;
    if (lower.find("fullyqualifiederrorid") != std::string::npos && lower.find("resolvednsname") != std::string::npos)
      error = true;
  }
  if (error || (header && srv_row)) return 85;
  if (command && (header || srv_row)) return 80;
  return 0;
}

}  // namespace

FormatInfo resolve_dnsname_srv_format() {
  return FormatInfo{"resolve-dnsname-srv", detect_resolve_dnsname,
                    [](const Knowledge& kb) { return std::make_unique<ResolveDnsNameReader>(kb); }, true};
}

}  // namespace kmsdiag
