// TCP reachability of one address:port within a deadline: non-blocking connect + poll + SO_ERROR
// (toolchain-notes §5). A port whose SYNs are dropped (firewall, full accept queue) ends in "timeout";
// an RST is "refused"; a routing error is "unreachable".
#pragma once

#include <string>

#include "probe/srv_resolver.hpp"

namespace kmsdiag {

// Owns a socket descriptor.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket();
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct TcpResult {
  std::string state;  // open | refused | timeout | unreachable
  std::string detail;
  double elapsed_ms = 0;
  Socket socket;  // connected (non-blocking) when state is "open"
};

// `address` is a numeric IPv4 or IPv6 address.
TcpResult tcp_connect(const std::string& address, int port, Clock::time_point deadline);

}  // namespace kmsdiag
