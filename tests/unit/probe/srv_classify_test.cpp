#include "probe/srv_classify.hpp"

#include <gtest/gtest.h>

namespace kmsdiag {
namespace {

TEST(SrvClassify, StatusWordsForResolverOutcomes) {
  EXPECT_EQ(status_word(ARES_SUCCESS), "records");
  EXPECT_EQ(status_word(ARES_ENOTFOUND), "nxdomain");
  EXPECT_EQ(status_word(ARES_ENODATA), "nodata");
  EXPECT_EQ(status_word(ARES_ESERVFAIL), "servfail");
  EXPECT_EQ(status_word(ARES_EREFUSED), "refused");
  EXPECT_EQ(status_word(ARES_ETIMEOUT), "timeout");
  EXPECT_EQ(status_word(ARES_ECANCELLED), "timeout");
  EXPECT_EQ(status_word(ARES_EBADRESP), "malformed");
  EXPECT_EQ(status_word(ARES_ECONNREFUSED), "error");
  EXPECT_EQ(status_detail(ARES_ECANCELLED), "deadline reached");
}

TEST(SrvClassify, Rfc2782OrderIsPriorityThenHeavierWeight) {
  std::vector<SrvTarget> t{{20, 10, 1688, "b"}, {10, 20, 1688, "c"}, {10, 50, 1688, "a"}, {10, 50, 1688, "0"}};
  order_rfc2782(t);
  EXPECT_EQ(format_targets(t), "10 50 1688 0,10 50 1688 a,10 20 1688 c,20 10 1688 b");
}

TEST(SrvClassify, SuccessWithoutParsableAnswerIsMalformed) {
  DnsReply reply;
  reply.status = ARES_SUCCESS;
  reply.answer = {0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 1};  // header promises more than it holds
  const SrvAnswer a = classify_srv(reply);
  EXPECT_EQ(a.status, "malformed");
  EXPECT_TRUE(a.targets.empty());
}

TEST(SrvClassify, FailedQueryKeepsTheResolverReason) {
  DnsReply reply;
  reply.status = ARES_ESERVFAIL;
  const SrvAnswer a = classify_srv(reply);
  EXPECT_EQ(a.status, "servfail");
  EXPECT_FALSE(a.detail.empty());
}

}  // namespace
}  // namespace kmsdiag
