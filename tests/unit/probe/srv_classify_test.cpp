#include "probe/srv_classify.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

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

// A DNS answer to "_vlmcs._tcp.corp.example SRV" holding the given records (names uncompressed).
std::vector<unsigned char> wire_name(const std::string& name) {
  std::vector<unsigned char> out;
  size_t start = 0;
  while (start < name.size()) {
    const size_t dot = std::min(name.find('.', start), name.size());
    out.push_back(static_cast<unsigned char>(dot - start));
    out.insert(out.end(), name.begin() + static_cast<long>(start), name.begin() + static_cast<long>(dot));
    start = dot + 1;
  }
  out.push_back(0);
  return out;
}

struct TestRr {
  std::string owner;
  int type;
  std::vector<unsigned char> data;
};

TestRr srv(const std::string& owner, int priority, const std::string& target) {
  std::vector<unsigned char> data{0, static_cast<unsigned char>(priority), 0, 10, 0x06, 0x98};  // weight 10, 1688
  const auto name = wire_name(target);
  data.insert(data.end(), name.begin(), name.end());
  return {owner, 33, data};
}

TestRr cname(const std::string& owner, const std::string& target) { return {owner, 5, wire_name(target)}; }

DnsReply answer_with(const std::vector<TestRr>& records) {
  DnsReply reply;
  reply.status = ARES_SUCCESS;
  auto& m = reply.answer;
  m = {0x12, 0x34, 0x81, 0x80, 0, 1, 0, static_cast<unsigned char>(records.size()), 0, 0, 0, 0};
  const auto q = wire_name("_vlmcs._tcp.corp.example");
  m.insert(m.end(), q.begin(), q.end());
  m.insert(m.end(), {0, 33, 0, 1});
  for (const TestRr& r : records) {
    const auto owner = wire_name(r.owner);
    m.insert(m.end(), owner.begin(), owner.end());
    m.insert(m.end(),
             {0, static_cast<unsigned char>(r.type), 0, 1, 0, 0, 0, 60, 0, static_cast<unsigned char>(r.data.size())});
    m.insert(m.end(), r.data.begin(), r.data.end());
  }
  return reply;
}

// Issue 10 item 17: a record whose owner is not the question's name is not that domain's record.
TEST(SrvClassify, RecordsOfAnotherNameAreLeftOutWithANote) {
  const SrvAnswer a = classify_srv(answer_with({srv("_vlmcs._tcp.other.example", 0, "kms9.other.example")}));
  EXPECT_EQ(a.status, "nodata");
  EXPECT_TRUE(a.targets.empty());
  EXPECT_EQ(a.detail, "ignored 1 SRV record(s) of another name than the question (_vlmcs._tcp.other.example)");

  const SrvAnswer mixed = classify_srv(answer_with({srv("_vlmcs._tcp.Corp.Example", 0, "kms1.corp.example"),
                                                    srv("_vlmcs._tcp.other.example", 0, "kms9.other.example")}));
  EXPECT_EQ(mixed.status, "records");
  EXPECT_EQ(format_targets(mixed.targets), "0 10 1688 kms1.corp.example");
  EXPECT_NE(mixed.detail.find("ignored 1 SRV record(s)"), std::string::npos);
}

TEST(SrvClassify, ACnameChainLeadsToTheDomainsRecords) {
  const SrvAnswer a = classify_srv(answer_with({cname("_vlmcs._tcp.corp.example", "_vlmcs._tcp.hub.example"),
                                                srv("_vlmcs._tcp.hub.example", 0, "kms1.hub.example")}));
  EXPECT_EQ(a.status, "records");
  EXPECT_EQ(format_targets(a.targets), "0 10 1688 kms1.hub.example");
  EXPECT_EQ(a.detail, "");
}

// RFC 2782: "A Target of "." means that the service is decidedly not available at this domain."
TEST(SrvClassify, TargetDotMeansTheServiceIsNotAvailable) {
  const SrvAnswer a = classify_srv(answer_with({srv("_vlmcs._tcp.corp.example", 0, "")}));
  EXPECT_EQ(a.status, "unavailable");
  EXPECT_TRUE(a.targets.empty());
  EXPECT_NE(a.detail.find("not available"), std::string::npos);
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
