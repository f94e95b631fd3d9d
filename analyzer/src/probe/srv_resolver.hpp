// A c-ares driver for many DNS queries at once: one channel per DNS server (so a SERVFAIL or REFUSED
// from one server is reported as such and attributed to it, see toolchain-notes §3), one poll loop over
// every channel, a cap on queries in flight (dnsmasq drops bursts beyond ~200), and an overall deadline
// that always holds.
#pragma once

#include <ares.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kmsdiag {

using Clock = std::chrono::steady_clock;

// Milliseconds from now to `deadline` for poll(): never negative, at most a minute.
int remaining_ms(Clock::time_point deadline);

struct ResolverOptions {
  int timeout_ms = 1000;  // per try
  int tries = 2;
  size_t max_inflight = 100;
  Clock::time_point deadline = Clock::time_point::max();
};

// The raw outcome of one query. `status` is the c-ares status; ARES_ECANCELLED means the deadline hit.
struct DnsReply {
  int status = ARES_ENOTINITIALIZED;
  int timeouts = 0;
  std::vector<unsigned char> answer;  // the DNS message, when one was received
  double elapsed_ms = 0;
};

class SrvResolver {
 public:
  using Callback = std::function<void(const DnsReply&)>;

  // `servers`: "IP[:port]" or "[IPv6]:port" each, one channel per server.
  // Throws std::runtime_error when there is none or a channel cannot be set up (bad server text).
  SrvResolver(const std::vector<std::string>& servers, const ResolverOptions& options);
  ~SrvResolver();
  SrvResolver(const SrvResolver&) = delete;
  SrvResolver& operator=(const SrvResolver&) = delete;

  // Names of the servers, one per channel, in the order given.
  const std::vector<std::string>& server_names() const { return names_; }

  // Queues a query on channel `server`; `done` runs from inside run().
  void query(size_t server, std::string name, int type, Callback done);

  // Runs until every queued query has completed or the deadline passed (the rest then complete
  // with ARES_ECANCELLED). Callbacks may queue further queries.
  void run();

  bool deadline_hit() const { return deadline_hit_; }

 private:
  struct Pending;
  static void on_answer(void* arg, int status, int timeouts, unsigned char* abuf, int alen);
  void start_queued();

  ResolverOptions options_;
  std::vector<ares_channel> channels_;
  std::vector<std::string> names_;
  std::vector<std::unique_ptr<Pending>> queued_;
  size_t next_queued_ = 0;
  size_t inflight_ = 0;
  bool deadline_hit_ = false;
};

}  // namespace kmsdiag
