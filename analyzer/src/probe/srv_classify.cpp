#include "probe/srv_classify.hpp"

#include <algorithm>
#include <array>
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

SrvAnswer classify_srv(const DnsReply& reply) {
  SrvAnswer out;
  if (reply.status != ARES_SUCCESS) {
    out.status = status_word(reply.status);
    out.detail = status_detail(reply.status);
    return out;
  }
  ares_srv_reply* srv = nullptr;
  const int rc = ares_parse_srv_reply(reply.answer.data(), static_cast<int>(reply.answer.size()), &srv);
  if (rc == ARES_ENODATA) {
    out.status = "nodata";
    out.detail = status_detail(rc);
    return out;
  }
  if (rc != ARES_SUCCESS) {
    out.status = "malformed";
    out.detail = std::string("unparsable SRV answer: ") + ares_strerror(rc);
    return out;
  }
  for (auto* s = srv; s; s = s->next) {
    std::string host = ascii_lower(s->host ? s->host : "");
    while (!host.empty() && host.back() == '.') host.pop_back();
    out.targets.push_back(SrvTarget{s->priority, s->weight, s->port, std::move(host)});
  }
  ares_free_data(srv);
  out.status = out.targets.empty() ? "nodata" : "records";
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
