#include "probe/srv_classify.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "model/record.hpp"

namespace kmsdiag {
namespace {

struct StatusWord {
  int ares;
  const char* word;
};

// With ARES_FLAG_NOCHECKRESP the server's rcode arrives as its own status; ECONNREFUSED then only
// means the port was closed (ICMP unreachable), which is a transport error, not a DNS answer.
constexpr std::array kWords{
    StatusWord{ARES_ENOTFOUND, "nxdomain"}, StatusWord{ARES_ENODATA, "nodata"},
    StatusWord{ARES_ESERVFAIL, "servfail"}, StatusWord{ARES_EREFUSED, "refused"},
    StatusWord{ARES_ETIMEOUT, "timeout"},   StatusWord{ARES_ECANCELLED, "timeout"},
    StatusWord{ARES_EFORMERR, "malformed"}, StatusWord{ARES_EBADRESP, "malformed"},
};

}  // namespace

std::string status_word(int ares_status) {
  if (ares_status == ARES_SUCCESS) return "records";
  for (const auto& w : kWords)
    if (w.ares == ares_status) return w.word;
  return "error";
}

std::string status_detail(int ares_status) {
  if (ares_status == ARES_ECANCELLED) return "deadline reached";
  if (ares_status == ARES_ECONNREFUSED) return "connection refused (nothing listens on the server port)";
  return ares_strerror(ares_status);
}

namespace {

constexpr int kTypeCname = 5, kTypeSrv = 33;

// One resource record of a DNS message: its owner, type and data, names lower case without the final dot
// (the root is "").
struct Rr {
  std::string owner;
  int type = 0;
  const unsigned char* data = nullptr;
  size_t size = 0;
};

// A name at `at` of the message; false when it does not parse. `at` moves past it.
bool read_name(const std::vector<unsigned char>& msg, const unsigned char*& at, std::string& name) {
  char* text = nullptr;
  long used = 0;
  if (ares_expand_name(at, msg.data(), static_cast<int>(msg.size()), &text, &used) != ARES_SUCCESS) return false;
  name = ascii_lower(text);
  ares_free_string(text);
  while (!name.empty() && name.back() == '.') name.pop_back();
  at += used;
  return true;
}

unsigned read16(const unsigned char* p) { return static_cast<unsigned>(p[0]) << 8 | p[1]; }

// The question name and the answer section, or false when the message does not parse.
bool parse_answer(const std::vector<unsigned char>& msg, std::string& question, std::vector<Rr>& answers) {
  if (msg.size() < 12 || read16(msg.data() + 4) != 1) return false;
  const unsigned char* end = msg.data() + msg.size();
  const unsigned char* at = msg.data() + 12;
  if (!read_name(msg, at, question) || end - at < 4) return false;
  at += 4;
  for (unsigned n = read16(msg.data() + 6); n > 0; --n) {
    Rr rr;
    if (!read_name(msg, at, rr.owner) || end - at < 10) return false;
    rr.type = static_cast<int>(read16(at));
    rr.size = read16(at + 8);
    rr.data = at + 10;
    if (static_cast<size_t>(end - rr.data) < rr.size) return false;
    at = rr.data + rr.size;
    answers.push_back(std::move(rr));
  }
  return true;
}

}  // namespace

SrvAnswer classify_srv(const DnsReply& reply) {
  SrvAnswer out;
  if (reply.status != ARES_SUCCESS) {
    out.status = status_word(reply.status);
    out.detail = status_detail(reply.status);
    return out;
  }
  std::string question;
  std::vector<Rr> answers;
  if (!parse_answer(reply.answer, question, answers)) {
    out.status = "malformed";
    out.detail = "unparsable SRV answer";
    return out;
  }
  // The names that are the question's: itself and those its CNAME chain in the answer leads to. A record
  // of any other owner is not this domain's record, whatever the server meant by sending it.
  std::set<std::string> names{question};
  for (bool grew = true; grew;) {
    grew = false;
    for (const Rr& rr : answers) {
      std::string alias;
      const unsigned char* at = rr.data;
      if (rr.type == kTypeCname && names.count(rr.owner) && read_name(reply.answer, at, alias))
        grew |= names.insert(alias).second;
    }
  }
  size_t foreign = 0, declined = 0;
  std::string foreign_owner;
  for (const Rr& rr : answers) {
    if (rr.type != kTypeSrv) continue;
    if (!names.count(rr.owner)) {
      if (!foreign++) foreign_owner = rr.owner;
      continue;
    }
    SrvTarget t;
    const unsigned char* at = rr.data + 6;
    if (rr.size < 7 || !read_name(reply.answer, at, t.host) || at != rr.data + rr.size) {
      out.status = "malformed";
      out.detail = "unparsable SRV record";
      out.targets.clear();
      return out;
    }
    // RFC 2782: a target of "." means the service is decidedly not available at this domain.
    if (t.host.empty()) {
      ++declined;
      continue;
    }
    t.priority = static_cast<int>(read16(rr.data));
    t.weight = static_cast<int>(read16(rr.data + 2));
    t.port = static_cast<int>(read16(rr.data + 4));
    out.targets.push_back(std::move(t));
  }
  std::vector<std::string> notes;
  if (foreign)
    notes.push_back(
        fmt::format("ignored {} SRV record(s) of another name than the question ({})", foreign, foreign_owner));
  if (declined) notes.push_back("target \".\": the domain says the service is not available here (RFC 2782)");
  out.status = !out.targets.empty() ? "records" : declined ? "unavailable" : "nodata";
  if (out.status == "nodata" && notes.empty()) notes.push_back(status_detail(ARES_ENODATA));
  out.detail = fmt::format("{}", fmt::join(notes, "; "));
  order_rfc2782(out.targets);
  return out;
}

bool rfc2782_before(const SrvTarget& a, const SrvTarget& b) {
  if (a.priority != b.priority) return a.priority < b.priority;
  if (a.weight != b.weight) return a.weight > b.weight;
  if (a.host != b.host) return a.host < b.host;
  return a.port < b.port;
}

void order_rfc2782(std::vector<SrvTarget>& targets) {
  std::stable_sort(targets.begin(), targets.end(), rfc2782_before);
}

std::string format_targets(const std::vector<SrvTarget>& targets) {
  std::string out;
  for (const auto& t : targets) {
    if (!out.empty()) out += ",";
    out += std::to_string(t.priority) + " " + std::to_string(t.weight) + " " + std::to_string(t.port) + " " + t.host;
  }
  return out;
}

}  // namespace kmsdiag
