#include "probe/target_resolver.hpp"

#include <arpa/inet.h>
#include <netdb.h>

#include <memory>

#include "probe/srv_classify.hpp"

namespace kmsdiag {
namespace {

constexpr int kTypeA = 1, kTypeAAAA = 28;

struct Half {
  int status = ARES_ENOTINITIALIZED;
  std::vector<std::string> addresses;
  bool done = false;
};

Half parse_half(const DnsReply& reply, int type) {
  Half h;
  h.done = true;
  h.status = reply.status;
  if (reply.status != ARES_SUCCESS) return h;
  hostent* host = nullptr;
  const auto* buf = reply.answer.data();
  const int len = static_cast<int>(reply.answer.size());
  h.status = type == kTypeA ? ares_parse_a_reply(buf, len, &host, nullptr, nullptr)
                            : ares_parse_aaaa_reply(buf, len, &host, nullptr, nullptr);
  if (h.status != ARES_SUCCESS || !host) return h;
  for (char** a = host->h_addr_list; a && *a; ++a) {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(host->h_addrtype, *a, text, sizeof text);
    h.addresses.emplace_back(text);
  }
  ares_free_hostent(host);
  if (h.addresses.empty()) h.status = ARES_ENODATA;
  return h;
}

// Both lookups failing: NXDOMAIN if either says the name does not exist, else the A lookup's reason.
TargetAddresses combine(const Half& a, const Half& aaaa) {
  TargetAddresses out;
  out.addresses = a.addresses;
  out.addresses.insert(out.addresses.end(), aaaa.addresses.begin(), aaaa.addresses.end());
  if (!out.addresses.empty()) {
    out.status = "resolved";
    return out;
  }
  int status = a.status;
  if (a.status == ARES_ENOTFOUND || aaaa.status == ARES_ENOTFOUND) status = ARES_ENOTFOUND;
  out.status = status_word(status);
  out.detail = status_detail(status);
  return out;
}

}  // namespace

void resolve_target(SrvResolver& resolver, size_t server, const std::string& host,
                    std::function<void(const TargetAddresses&)> done) {
  struct State {
    Half a, aaaa;
    std::function<void(const TargetAddresses&)> done;
  };
  auto state = std::make_shared<State>();
  state->done = std::move(done);
  for (int type : {kTypeA, kTypeAAAA}) {
    resolver.query(server, host, type, [state, type](const DnsReply& reply) {
      (type == kTypeA ? state->a : state->aaaa) = parse_half(reply, type);
      if (state->a.done && state->aaaa.done) state->done(combine(state->a, state->aaaa));
    });
  }
}

}  // namespace kmsdiag
