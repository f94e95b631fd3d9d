#include "probe/tcp_probe.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kmsdiag {

Socket::~Socket() {
  if (fd_ >= 0) close(fd_);
}

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

namespace {

std::string state_for_errno(int err) {
  if (err == ECONNREFUSED) return "refused";
  if (err == ETIMEDOUT) return "timeout";
  return "unreachable";
}

}  // namespace

TcpResult tcp_connect(const std::string& address, int port, Clock::time_point deadline) {
  const auto start = Clock::now();
  TcpResult out;
  auto finish = [&](std::string state, std::string detail) {
    out.state = std::move(state);
    out.detail = std::move(detail);
    out.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    return std::move(out);
  };
  sockaddr_storage ss{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    len = sizeof *v4;
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    len = sizeof *v6;
  } else {
    return finish("unreachable", "not a numeric address: " + address);
  }
  Socket sock(socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!sock.valid()) return finish("unreachable", std::string("socket: ") + std::strerror(errno));
  if (connect(sock.fd(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    if (errno != EINPROGRESS) {
      const int err = errno;
      return finish(state_for_errno(err), std::strerror(err));
    }
    pollfd p{sock.fd(), POLLOUT, 0};
    int rc;
    do {
      rc = poll(&p, 1, remaining_ms(deadline));
    } while (rc < 0 && errno == EINTR);
    if (rc == 0) return finish("timeout", "no answer to the connection request");
    int err = 0;
    socklen_t elen = sizeof err;
    getsockopt(sock.fd(), SOL_SOCKET, SO_ERROR, &err, &elen);
    if (err != 0) return finish(state_for_errno(err), std::strerror(err));
  }
  out.socket = std::move(sock);
  return finish("open", "");
}

}  // namespace kmsdiag
