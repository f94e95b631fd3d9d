#include "probe/srv_resolver.hpp"

#include <poll.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace kmsdiag {

struct SrvResolver::Pending {
  SrvResolver* owner = nullptr;
  size_t server = 0;
  std::string name;
  int type = 0;
  Callback done;
  Clock::time_point started;
};

namespace {

void library_init() {
  static std::once_flag once;
  std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

ares_channel make_channel(const ResolverOptions& o) {
  ares_options opts{};
  int mask = 0;
  opts.timeout = o.timeout_ms;  // ARES_OPT_TIMEOUTMS: milliseconds (ARES_OPT_TIMEOUT would be seconds)
  mask |= ARES_OPT_TIMEOUTMS;
  opts.tries = o.tries;
  mask |= ARES_OPT_TRIES;
  // NOCHECKRESP: report SERVFAIL/REFUSED as such instead of folding them into ECONNREFUSED.
  opts.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
  mask |= ARES_OPT_FLAGS;
  opts.ndomains = 0;  // the resolv.conf search list must not rewrite the names we build ourselves
  opts.domains = nullptr;
  mask |= ARES_OPT_DOMAINS;
  char lookups[] = "b";  // DNS only, never /etc/hosts
  opts.lookups = lookups;
  mask |= ARES_OPT_LOOKUPS;
  ares_channel ch = nullptr;
  if (const int rc = ares_init_options(&ch, &opts, mask); rc != ARES_SUCCESS)
    throw std::runtime_error(std::string("cannot set up the DNS resolver: ") + ares_strerror(rc));
  return ch;
}

}  // namespace

int remaining_ms(Clock::time_point deadline) {
  const auto now = Clock::now();
  if (deadline <= now) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
  return static_cast<int>(std::min<int64_t>(ms, 60'000));
}

SrvResolver::SrvResolver(const std::vector<std::string>& servers, const ResolverOptions& options) : options_(options) {
  library_init();
  if (servers.empty()) throw std::runtime_error("no DNS server configured (/etc/resolv.conf has no nameserver)");
  names_ = servers;
  for (const auto& name : names_) {
    ares_channel ch = make_channel(options_);
    if (const int rc = ares_set_servers_ports_csv(ch, name.c_str()); rc != ARES_SUCCESS) {
      ares_destroy(ch);
      for (auto* c : channels_) ares_destroy(c);
      throw std::runtime_error("bad DNS server '" + name + "': " + ares_strerror(rc));
    }
    channels_.push_back(ch);
  }
}

SrvResolver::~SrvResolver() {
  // Pending callbacks fire with ARES_EDESTRUCTION; they only touch Pending objects still owned here.
  for (auto* ch : channels_) ares_destroy(ch);
}

void SrvResolver::query(size_t server, std::string name, int type, Callback done) {
  auto p = std::make_unique<Pending>();
  p->owner = this;
  p->server = server;
  p->name = std::move(name);
  p->type = type;
  p->done = std::move(done);
  queued_.push_back(std::move(p));
}

void SrvResolver::on_answer(void* arg, int status, int timeouts, unsigned char* abuf, int alen) {
  auto* p = static_cast<Pending*>(arg);
  SrvResolver* self = p->owner;
  --self->inflight_;
  if (status == ARES_EDESTRUCTION) return;
  DnsReply reply;
  reply.status = status;
  reply.timeouts = timeouts;
  if (abuf && alen > 0) reply.answer.assign(abuf, abuf + alen);
  reply.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - p->started).count();
  p->done(reply);
}

void SrvResolver::start_queued() {
  while (next_queued_ < queued_.size()) {
    Pending* p = queued_[next_queued_].get();
    if (deadline_hit_) {
      ++next_queued_;
      DnsReply cancelled;
      cancelled.status = ARES_ECANCELLED;
      p->done(cancelled);
      continue;
    }
    if (inflight_ >= options_.max_inflight) return;
    ++next_queued_;
    ++inflight_;
    p->started = Clock::now();
    ares_query(channels_[p->server], p->name.c_str(), 1 /* C_IN */, p->type, &SrvResolver::on_answer, p);
  }
}

void SrvResolver::run() {
  std::vector<pollfd> fds;
  std::vector<size_t> owner;  // channel index per pollfd
  for (;;) {
    start_queued();
    if (inflight_ == 0 && next_queued_ == queued_.size()) return;
    if (Clock::now() >= options_.deadline) {
      deadline_hit_ = true;
      for (auto* ch : channels_) ares_cancel(ch);  // callbacks fire with ARES_ECANCELLED
      continue;
    }
    fds.clear();
    owner.clear();
    int wait_ms = remaining_ms(options_.deadline);
    for (size_t c = 0; c < channels_.size(); ++c) {
      ares_socket_t socks[ARES_GETSOCK_MAXNUM];
      const int bits = ares_getsock(channels_[c], socks, ARES_GETSOCK_MAXNUM);
      for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
        const bool r = ARES_GETSOCK_READABLE(bits, i), w = ARES_GETSOCK_WRITABLE(bits, i);
        if (!r && !w) continue;
        fds.push_back(pollfd{socks[i], static_cast<short>((r ? POLLIN : 0) | (w ? POLLOUT : 0)), 0});
        owner.push_back(c);
      }
      timeval tv{};
      if (timeval* t = ares_timeout(channels_[c], nullptr, &tv))
        wait_ms = std::min<int>(wait_ms, static_cast<int>(t->tv_sec * 1000 + (t->tv_usec + 999) / 1000));
    }
    poll(fds.data(), fds.size(), wait_ms);
    std::vector<bool> served(channels_.size(), false);
    for (size_t i = 0; i < fds.size(); ++i) {
      const short ev = fds[i].revents;
      if (!ev) continue;
      const bool r = ev & (POLLIN | POLLERR | POLLHUP), w = ev & POLLOUT;
      ares_process_fd(channels_[owner[i]], r ? fds[i].fd : ARES_SOCKET_BAD, w ? fds[i].fd : ARES_SOCKET_BAD);
      served[owner[i]] = true;
    }
    // Channels without traffic still need their timeouts processed, or a busy channel starves them.
    for (size_t c = 0; c < channels_.size(); ++c)
      if (!served[c]) ares_process_fd(channels_[c], ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  }
}

}  // namespace kmsdiag
