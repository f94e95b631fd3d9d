// TCP endpoints the live-check tests probe, on 127.77.N.x (the addresses dnsmasq.conf.in gives the
// targets): a minimal DCE/RPC responder (bind_ack for the interface it serves, bind_nak otherwise), a
// service that answers other bytes, one that accepts and stays silent, and a listener whose full accept
// queue makes the kernel drop SYNs (toolchain-notes §5).
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "probe/rpc_bind_probe.hpp"

namespace kmsdiag::test {

enum class Behaviour { rpc, other_bytes, silent };

class TcpResponder {
 public:
  // Listens on address:port; `served` is the interface a `rpc` responder accepts.
  TcpResponder(const std::string& address, int port, Behaviour behaviour, UuidBytes served = {});
  ~TcpResponder();
  TcpResponder(const TcpResponder&) = delete;
  TcpResponder& operator=(const TcpResponder&) = delete;

 private:
  void serve();
  void answer(int fd);
  int listen_fd_ = -1;
  Behaviour behaviour_;
  UuidBytes served_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// listen(fd, 0), never accepts, queue filled by two connects: further connects time out.
class FullBacklogListener {
 public:
  FullBacklogListener(const std::string& address, int port);
  ~FullBacklogListener();

 private:
  int listen_fd_ = -1;
  std::vector<int> fillers_;
};

}  // namespace kmsdiag::test
