// A DCE/RPC (connection-oriented, MS-RPCE) bind to the KMS interface on an open TCP connection: tells
// "a KMS service answers" (bind_ack accepting the interface) from a bind_nak, a rejection, other bytes or
// silence. Only a bind is ever sent, never an activation request, so probing changes nothing on the host.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "probe/tcp_probe.hpp"

namespace kmsdiag {

// 16 bytes in wire order (first three fields little-endian, as NDR sends a GUID).
using UuidBytes = std::array<uint8_t, 16>;
// "51c82175-844e-4750-b0d8-ec255555bc06" -> wire bytes. Throws std::invalid_argument on bad text.
UuidBytes uuid_wire_bytes(std::string_view text);

// The KMS activation interface and the NDR transfer syntax it is bound with.
extern const std::string_view kKmsInterfaceUuid;   // v1.0
extern const std::string_view kNdrTransferSyntax;  // v2

// The bind PDU (ptype 11) for `interface_uuid` v1.0 with NDR v2, one presentation context.
std::vector<uint8_t> bind_request(const UuidBytes& interface_uuid, uint32_t call_id);

struct RpcResult {
  std::string state;  // kms | not-kms | no-answer
  std::string detail;
  double elapsed_ms = 0;
};

// Classifies a complete reply PDU (or whatever bytes came back).
RpcResult classify_bind_reply(std::span<const uint8_t> reply);

// Sends the KMS bind on `socket` (connected, non-blocking) and reads the reply until `deadline`.
RpcResult rpc_bind_kms(const Socket& socket, Clock::time_point deadline);

}  // namespace kmsdiag
