#include "probe/rpc_bind_probe.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace kmsdiag {
namespace {

TEST(RpcBind, UuidWireBytesSwapTheFirstThreeFields) {
  const UuidBytes b = uuid_wire_bytes(kKmsInterfaceUuid);
  const UuidBytes want{0x75, 0x21, 0xc8, 0x51, 0x4e, 0x84, 0x50, 0x47, 0xb0, 0xd8, 0xec, 0x25, 0x55, 0x55, 0xbc, 0x06};
  EXPECT_EQ(b, want);
  EXPECT_THROW(uuid_wire_bytes("51c82175-844e"), std::invalid_argument);
  EXPECT_THROW(uuid_wire_bytes("zzc82175-844e-4750-b0d8-ec255555bc06"), std::invalid_argument);
}

TEST(RpcBind, BindRequestLayout) {
  const auto req = bind_request(uuid_wire_bytes(kKmsInterfaceUuid), 7);
  ASSERT_EQ(req.size(), 72u);
  EXPECT_EQ(req[0], 5);      // version 5.0
  EXPECT_EQ(req[2], 11);     // bind
  EXPECT_EQ(req[3], 3);      // first + last fragment
  EXPECT_EQ(req[8], 72);     // frag_length
  EXPECT_EQ(req[12], 7);     // call_id
  EXPECT_EQ(req[32], 0x75);  // abstract syntax starts the first context
  EXPECT_EQ(req[48], 1);     // version 1.0
  EXPECT_EQ(req[52], 0x04);  // NDR 8a885d04... little-endian
  EXPECT_EQ(req[68], 2);     // NDR v2
}

std::vector<uint8_t> bind_ack(uint16_t result) {
  std::vector<uint8_t> b{5, 0, 12, 3, 0x10, 0, 0, 0, 60, 0, 0, 0, 1, 0, 0, 0};
  b.insert(b.end(), {0xd0, 0x16, 0xd0, 0x16, 0, 0, 0, 0, 5, 0, '1', '6', '8', '8', 0, 0});
  b.insert(b.end(), {1, 0, 0, 0, static_cast<uint8_t>(result), 0, 0, 0});
  b.resize(60, 0);
  return b;
}

TEST(RpcBind, RepliesAreClassified) {
  EXPECT_EQ(classify_bind_reply(bind_ack(0)).state, "kms");
  EXPECT_EQ(classify_bind_reply(bind_ack(2)).state, "not-kms");  // provider rejection
  const std::vector<uint8_t> nak{5, 0, 13, 3, 0x10, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0};
  EXPECT_EQ(classify_bind_reply(nak).state, "not-kms");
  const std::string http = "HTTP/1.0 400 Bad Request\r\n";
  EXPECT_EQ(classify_bind_reply(std::vector<uint8_t>(http.begin(), http.end())).state, "not-kms");
  EXPECT_EQ(classify_bind_reply({}).state, "no-answer");
  auto cut = bind_ack(0);
  cut.resize(30);
  EXPECT_EQ(classify_bind_reply(cut).state, "not-kms");
}

}  // namespace
}  // namespace kmsdiag
