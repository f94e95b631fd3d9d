#include "probe/rpc_bind_probe.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace kmsdiag {

const std::string_view kKmsInterfaceUuid = "51c82175-844e-4750-b0d8-ec255555bc06";
const std::string_view kNdrTransferSyntax = "8a885d04-1ceb-11c9-9fe8-08002b104860";

namespace {

constexpr uint8_t kPtypeBind = 11, kPtypeBindAck = 12, kPtypeBindNak = 13;
constexpr uint8_t kFirstAndLastFrag = 0x03;
constexpr uint8_t kDrepLittleEndianAscii = 0x10;
constexpr size_t kHeaderSize = 16;
constexpr size_t kMaxReply = 4096;  // a bind_ack is ~60-100 bytes; anything bigger is not a bind reply

void put16(std::vector<uint8_t>& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v));
  b.push_back(static_cast<uint8_t>(v >> 8));
}
void put32(std::vector<uint8_t>& b, uint32_t v) {
  put16(b, static_cast<uint16_t>(v));
  put16(b, static_cast<uint16_t>(v >> 16));
}
uint16_t get16(std::span<const uint8_t> b, size_t at) { return static_cast<uint16_t>(b[at] | (b[at + 1] << 8)); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

UuidBytes uuid_wire_bytes(std::string_view text) {
  std::array<uint8_t, 16> be{};
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-') continue;
    if (n == 32 || i + 1 >= text.size()) throw std::invalid_argument("bad UUID: " + std::string(text));
    const int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) throw std::invalid_argument("bad UUID: " + std::string(text));
    be[n / 2] = static_cast<uint8_t>(hi << 4 | lo);
    n += 2;
    ++i;
  }
  if (n != 32) throw std::invalid_argument("bad UUID: " + std::string(text));
  // time_low (4), time_mid (2), time_hi (2) go little-endian; the last 8 bytes stay as written.
  UuidBytes wire = be;
  for (int i = 0; i < 4; ++i) wire[i] = be[3 - i];
  wire[4] = be[5];
  wire[5] = be[4];
  wire[6] = be[7];
  wire[7] = be[6];
  return wire;
}

std::vector<uint8_t> bind_request(const UuidBytes& interface_uuid, uint32_t call_id) {
  std::vector<uint8_t> b;
  b.insert(b.end(), {5, 0, kPtypeBind, kFirstAndLastFrag, kDrepLittleEndianAscii, 0, 0, 0});
  put16(b, 0);  // frag_length, patched below
  put16(b, 0);  // auth_length
  put32(b, call_id);
  put16(b, 5840);                   // max_xmit_frag
  put16(b, 5840);                   // max_recv_frag
  put32(b, 0);                      // assoc_group_id: a new association
  b.insert(b.end(), {1, 0, 0, 0});  // one presentation context, reserved
  put16(b, 0);                      // p_cont_id
  b.insert(b.end(), {1, 0});        // one transfer syntax, reserved
  b.insert(b.end(), interface_uuid.begin(), interface_uuid.end());
  put16(b, 1);  // interface version 1.0
  put16(b, 0);
  const UuidBytes ndr = uuid_wire_bytes(kNdrTransferSyntax);
  b.insert(b.end(), ndr.begin(), ndr.end());
  put32(b, 2);
  b[8] = static_cast<uint8_t>(b.size());
  b[9] = static_cast<uint8_t>(b.size() >> 8);
  return b;
}

RpcResult classify_bind_reply(std::span<const uint8_t> r) {
  if (r.empty()) return {"no-answer", "connection closed without a reply", 0};
  if (r.size() < kHeaderSize || r[0] != 5 || r[1] != 0)
    return {"not-kms", "the service answered, but not in DCE/RPC", 0};
  if (r[2] == kPtypeBindNak) {
    const uint16_t reason = r.size() >= 18 ? get16(r, 16) : 0;
    return {"not-kms", "bind_nak (reject reason " + std::to_string(reason) + ")", 0};
  }
  if (r[2] != kPtypeBindAck) return {"not-kms", "DCE/RPC reply of type " + std::to_string(r[2]) + " to a bind", 0};
  // bind_ack body: max_xmit(2) max_recv(2) assoc_group(4) sec_addr(len(2)+text), pad to 4, result list.
  size_t at = kHeaderSize + 8;
  if (r.size() < at + 2) return {"not-kms", "truncated bind_ack", 0};
  at += 2 + get16(r, at);
  at = (at + 3) & ~size_t{3};
  if (r.size() < at + 4 + 4) return {"not-kms", "truncated bind_ack", 0};
  const uint8_t results = r[at];
  if (results == 0) return {"not-kms", "bind_ack without a context result", 0};
  const uint16_t result = get16(r, at + 4), reason = get16(r, at + 6);
  if (result == 0) return {"kms", "bind_ack: KMS interface accepted", 0};
  return {"not-kms",
          "bind_ack rejecting the KMS interface (result " + std::to_string(result) + ", reason " +
              std::to_string(reason) + ")",
          0};
}

RpcResult rpc_bind_kms(const Socket& socket, Clock::time_point deadline) {
  const auto start = Clock::now();
  auto timed = [&](RpcResult r) {
    r.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    return r;
  };
  const auto request = bind_request(uuid_wire_bytes(kKmsInterfaceUuid), 1);
  size_t sent = 0;
  while (sent < request.size()) {
    pollfd p{socket.fd(), POLLOUT, 0};
    if (poll(&p, 1, remaining_ms(deadline)) <= 0) return timed({"no-answer", "could not send the bind in time", 0});
    const ssize_t n = send(socket.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR)
      return timed({"no-answer", std::string("send: ") + std::strerror(errno), 0});
    if (n > 0) sent += static_cast<size_t>(n);
  }
  std::vector<uint8_t> reply;
  size_t want = kHeaderSize;
  while (reply.size() < want) {
    pollfd p{socket.fd(), POLLIN, 0};
    if (poll(&p, 1, remaining_ms(deadline)) <= 0) {
      if (reply.empty()) return timed({"no-answer", "no reply to the bind before the deadline", 0});
      break;  // classify what arrived
    }
    uint8_t buf[1024];
    const ssize_t n = recv(socket.fd(), buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0) return timed({"no-answer", std::string("recv: ") + std::strerror(errno), 0});
    if (n == 0) break;
    reply.insert(reply.end(), buf, buf + n);
    if (reply.size() >= kHeaderSize && reply[0] == 5) want = std::min<size_t>(get16(reply, 8), kMaxReply);
    if (reply.size() >= kMaxReply) break;
  }
  return timed(classify_bind_reply(reply));
}

}  // namespace kmsdiag
