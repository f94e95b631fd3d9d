#include "test_servers.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace kmsdiag::test {
namespace {

int listen_on(const std::string& address, int port, int backlog) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &a.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd, backlog) != 0) {
    const std::string err = std::strerror(errno);
    close(fd);
    throw std::runtime_error("cannot listen on " + address + ":" + std::to_string(port) + ": " + err);
  }
  return fd;
}

void put16(std::vector<uint8_t>& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v));
  b.push_back(static_cast<uint8_t>(v >> 8));
}

// bind_ack accepting context 0 (MS-RPCE 2.2.2.4), or bind_nak with reason 4 (abstract syntax not supported).
std::vector<uint8_t> bind_reply(const std::vector<uint8_t>& request, bool accept) {
  std::vector<uint8_t> b{5, 0, static_cast<uint8_t>(accept ? 12 : 13), 3, 0x10, 0, 0, 0, 0, 0, 0, 0};
  b.insert(b.end(), request.begin() + 12, request.begin() + 16);  // call_id
  if (accept) {
    put16(b, 5840);
    put16(b, 5840);
    b.insert(b.end(), {0x53, 0x53, 0, 0});  // assoc group
    put16(b, 5);
    b.insert(b.end(), {'1', '6', '8', '8', 0});
    while (b.size() % 4) b.push_back(0);
    b.insert(b.end(), {1, 0, 0, 0});
    put16(b, 0);  // acceptance
    put16(b, 0);
    const UuidBytes ndr = uuid_wire_bytes(kNdrTransferSyntax);
    b.insert(b.end(), ndr.begin(), ndr.end());
    b.insert(b.end(), {2, 0, 0, 0});
  } else {
    put16(b, 4);
    b.insert(b.end(), {0, 0});
  }
  b[8] = static_cast<uint8_t>(b.size());
  return b;
}

}  // namespace

TcpResponder::TcpResponder(const std::string& address, int port, Behaviour behaviour, UuidBytes served)
    : listen_fd_(listen_on(address, port, 16)), behaviour_(behaviour), served_(served) {
  thread_ = std::thread([this] { serve(); });
}

TcpResponder::~TcpResponder() {
  stop_ = true;
  thread_.join();
  close(listen_fd_);
}

void TcpResponder::serve() {
  std::vector<int> silent;  // kept open until shutdown: the peer must see silence, not a close
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    if (behaviour_ == Behaviour::silent) {
      silent.push_back(fd);
      continue;
    }
    answer(fd);
    close(fd);
  }
  for (int fd : silent) close(fd);
}

void TcpResponder::answer(int fd) {
  if (behaviour_ == Behaviour::other_bytes) {
    const char text[] = "HTTP/1.0 400 Bad Request\r\n\r\n";
    send(fd, text, sizeof text - 1, MSG_NOSIGNAL);
    return;
  }
  std::vector<uint8_t> request;
  uint8_t buf[512];
  while (request.size() < 72) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 1000) <= 0) return;
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    request.insert(request.end(), buf, buf + n);
  }
  // Abstract syntax of context 0: after header (16), frag sizes + group (8), context list head (4), id + count (4).
  const bool accept = request[2] == 11 && std::equal(served_.begin(), served_.end(), request.begin() + 32);
  const auto reply = bind_reply(request, accept);
  send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
}

FullBacklogListener::FullBacklogListener(const std::string& address, int port)
    : listen_fd_(listen_on(address, port, 0)) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &a.sin_addr);
  for (int i = 0; i < 2; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    fillers_.push_back(fd);
  }
  usleep(20'000);  // let both handshakes land in the queue
}

FullBacklogListener::~FullBacklogListener() {
  for (int fd : fillers_) close(fd);
  close(listen_fd_);
}

}  // namespace kmsdiag::test
