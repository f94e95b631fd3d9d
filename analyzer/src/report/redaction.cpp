#include "report/redaction.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <unordered_map>

#include "model/sha256.hpp"
#include "report/analysis_texts.hpp"

namespace kmsdiag {
namespace {

// Fields (after an aggregate prefix such as `first.` or `values.`) whose values name machines, domains or CMIDs.
const std::set<std::string_view> kMachineFields = {"machine", "machines",      "host",   "hosts",         "host_list",
                                                   "client",  "kms_host_name", "target", "expected_hosts"};
const std::set<std::string_view> kDomainFields = {"domain", "srv_domain"};
const std::set<std::string_view> kCmidFields = {"cmid"};

std::string_view field_base(std::string_view key) {
  const size_t dot = key.rfind('.');
  return dot == std::string_view::npos ? key : key.substr(dot + 1);
}

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

class Redactor {
 public:
  explicit Redactor(std::string_view key) : key_(key) {}

  // Learning what to replace: every machine, domain and CMID the analysis names in its structured parts.
  void machine(std::string_view name) {
    for (std::string_view part : split(name, ',')) {
      part = trim(part);
      // "kms1:1688", "kms1.corp.example." as written in some fields
      part = part.substr(0, part.find(':'));
      while (!part.empty() && part.back() == '.') part.remove_suffix(1);
      // A count ("hosts: 2") or an address is no name; addresses are replaced by their own pattern.
      if (std::none_of(part.begin(), part.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
        continue;
      const size_t dot = part.find('.');
      if (dot == std::string_view::npos) {
        short_names_.insert(ascii_lower(part));
      } else {
        short_names_.insert(ascii_lower(part.substr(0, dot)));
        domain(part.substr(dot + 1));
      }
    }
  }
  void domain(std::string_view name) {
    std::string d = ascii_lower(trim(name));
    while (!d.empty() && d.back() == '.') d.pop_back();
    // Every parent of two labels or more: "corp.contoso.com" and "contoso.com"; never "com" alone.
    for (size_t at = 0; std::count(d.begin() + static_cast<std::ptrdiff_t>(at), d.end(), '.') >= 1;) {
      domains_.insert(d.substr(at));
      at = d.find('.', at) + 1;
    }
  }
  void cmid(std::string_view value) {
    for (std::string_view part : split(value, ','))
      if (!trim(part).empty()) cmids_.insert(ascii_lower(trim(part)));
  }
  void fact(std::string_view key, std::string_view value) {
    const std::string_view base = field_base(key);
    if (kMachineFields.count(base)) machine(value);
    if (kDomainFields.count(base)) domain(value);
    if (kCmidFields.count(base)) cmid(value);
  }

  // Every value learnt, and every address, SID and user name in paths, replaced in `text`.
  std::string apply(std::string_view text) {
    std::string out = replace_patterns(std::string(text));
    return replace_names(out);
  }

 private:
  static std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    for (size_t start = 0;;) {
      const size_t end = std::min(text.find(sep, start), text.size());
      parts.push_back(text.substr(start, end - start));
      if (end == text.size()) return parts;
      start = end + 1;
    }
  }

  // Hex digits of the keyed hash of a value, long enough to stay unique among this report's values of its kind.
  std::string pseudonym(std::string_view kind, const std::string& value) {
    const std::string id = std::string(kind) + '\x1f' + value;
    if (const auto it = given_.find(id); it != given_.end()) return it->second;
    const std::string hex = hmac_sha256_hex(key_, id);
    // Six hex digits tell 16 million values apart; a collision within the report takes more digits.
    size_t digits = 6;
    while (taken_.count(std::string(kind) + hex.substr(0, digits)) && digits < hex.size()) digits += 2;
    std::string p = hex.substr(0, digits);
    taken_.insert(std::string(kind) + p);
    return given_[id] = p;
  }

  std::string ipv4(const std::string& address) {
    // The three documentation networks (RFC 5737), the host part from the hash (1..254).
    static constexpr std::string_view kNets[] = {"192.0.2.", "198.51.100.", "203.0.113."};
    const std::string h = pseudonym("ipv4", address);
    const unsigned long v = std::stoul(h.substr(0, 6), nullptr, 16);
    return fmt::format("{}{}", kNets[v % 3], 1 + (v / 3) % 254);
  }

  std::string replace_patterns(std::string text) {
    static const std::regex kIpv4(R"((^|[^0-9.])((?:[0-9]{1,3}\.){3}[0-9]{1,3})(?![0-9]|\.[0-9]))");
    // Every quantifier is bounded: std::regex recurses per character matched, and names are attacker-sized.
    // Candidates only: a time of day (10:40:23) looks alike; inet_pton decides.
    static const std::regex kIpv6(R"((^|[^0-9A-Fa-f:])([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![0-9A-Fa-f:]))");
    static const std::regex kSid(R"(S-1-5-21(?:-[0-9]+){1,4})");
    static const std::regex kUser(R"((/home/|/Users/|[A-Za-z]:\\Users\\|\\\\Users\\\\)([^/\\\s]{1,256}))",
                                  std::regex::icase);
    text = substitute(text, kIpv4, 2, [this](const std::string& a) {
      in_addr parsed{};
      return inet_pton(AF_INET, a.c_str(), &parsed) == 1 ? ipv4(a) : a;  // not 999.1.1.1
    });
    text = substitute(text, kIpv6, 2, [this](const std::string& a) {
      in6_addr parsed{};
      if (inet_pton(AF_INET6, a.c_str(), &parsed) != 1) return a;
      const std::string h = pseudonym("ipv6", ascii_lower(a));
      return fmt::format("2001:db8::{}:{}", h.substr(0, 4), h.substr(4, 2));
    });
    text = substitute(text, kSid, 0, [this](const std::string& s) { return "S-1-5-21-sid-" + pseudonym("sid", s); });
    text = substitute(text, kUser, 2, [this](const std::string& u) {
      if (u.rfind("user-", 0) == 0) return u;  // already a pseudonym
      return "user-" + pseudonym("user", ascii_lower(u));
    });
    return text;
  }

  template <typename Replace>
  static std::string substitute(const std::string& text, const std::regex& re, size_t group, Replace replace) {
    std::string out;
    size_t done = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
      const std::smatch& m = *it;
      const size_t at = static_cast<size_t>(m.position(static_cast<int>(group)));
      out.append(text, done, at - done);
      out += replace(m.str(static_cast<int>(group)));
      done = at + static_cast<size_t>(m.length(static_cast<int>(group)));
    }
    out.append(text, done, std::string::npos);
    return out;
  }

  // Each run of name characters and dots: a known domain from some label on, known machine labels before it,
  // known CMIDs as a whole (a GUID is one run).
  std::string replace_names(const std::string& text) {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
      if (!name_char(text[i])) {
        out += text[i++];
        continue;
      }
      size_t end = i;
      while (end < text.size() && (name_char(text[end]) || text[end] == '.')) ++end;
      // A name at the end of a sentence: the full stop is not part of it.
      size_t name_end = end;
      while (name_end > i && text[name_end - 1] == '.') --name_end;
      out += replace_token(std::string_view(text).substr(i, name_end - i));
      out.append(text, name_end, end - name_end);
      i = end;
    }
    return out;
  }

  std::string replace_token(std::string_view token) {
    const std::string low = ascii_lower(token);
    if (cmids_.count(low)) return "cmid-" + pseudonym("cmid", low);
    std::string out;
    size_t at = 0;
    while (at < token.size()) {
      const std::string rest = low.substr(at);
      if (domains_.count(rest)) return out + "domain-" + pseudonym("domain", rest) + ".example";
      const size_t dot = std::min(token.find('.', at), token.size());
      const std::string label = low.substr(at, dot - at);
      out += short_names_.count(label) ? "machine-" + pseudonym("machine", label)
                                       : std::string(token.substr(at, dot - at));
      if (dot < token.size()) out += '.';
      at = dot + 1;
    }
    return out;
  }

  std::string key_;
  std::set<std::string> short_names_, domains_, cmids_;
  std::unordered_map<std::string, std::string> given_;
  std::set<std::string> taken_;
};

}  // namespace

void redact(Analysis& analysis, std::string_view key) {
  Redactor r(key);
  for (const Finding& f : analysis.findings) {
    for (const std::string& m : f.machines) r.machine(m);
    for (const Evidence& e : f.evidence) r.machine(e.machine);
    for (const auto& [k, v] : f.facts) r.fact(k, v);
    for (const auto& [field, values] : f.lists)
      for (const std::string& v : values) r.fact(field, v);
  }
  // The fleet overview (the HTML report's timelines and inventory) names hosts, machines and CMIDs too.
  for (const HostCountSeries& h : analysis.fleet.host_counts) r.machine(h.host);
  for (const MachineProduct& m : analysis.fleet.machines) {
    r.machine(m.machine);
    r.machine(m.kms_host);
    r.cmid(m.cmid);
  }
  // The rules' own words too (titles, steps): a step's example host can be the customer's real one
  // (contoso.com in samples).
  rewrite_texts(analysis, [&r](std::string_view text) { return r.apply(text); });
  // Sorted again: in the original order the pseudonyms would still tell how the names sort.
  for (Finding& f : analysis.findings) {
    std::sort(f.machines.begin(), f.machines.end());
    std::sort(f.unnamed_machines.begin(), f.unnamed_machines.end());
  }
}

}  // namespace kmsdiag
