#include "command_output_test_support.hpp"
#include "ingest/srv_lookup_readers.hpp"

namespace kmsdiag::testing {
namespace {

TEST(NslookupReader, TwoTargets) {
  const Collected c = ingest_fixture("nslookup-srv-ok.txt", "nslookup-srv");
  ASSERT_EQ(c.records.size(), 1u);
  const Record& r = c.records[0];
  EXPECT_EQ(r.kind, "cmd.srv-lookup");
  EXPECT_EQ(r.get("query"), "_vlmcs._tcp.contoso.com");
  EXPECT_EQ(r.get("domain"), "contoso.com");
  EXPECT_EQ(r.get("server"), "dc1.contoso.com");
  EXPECT_EQ(r.get("status"), "records");
  EXPECT_EQ(r.get("count"), "2");
  EXPECT_EQ(r.get("targets"), "0 0 1688 kms-server.contoso.com,10 100 1688 kms2.contoso.com");
  EXPECT_EQ(r.source.position, 1u);
}

TEST(NslookupReader, NxdomainServfailTimeoutNodata) {
  const Collected c = ingest_fixture("nslookup-srv-failures.txt", "nslookup-srv");
  ASSERT_EQ(c.records.size(), 4u);
  EXPECT_EQ(c.records[0].get("status"), "nxdomain");  // not fooled by the server's own reverse lookup
  EXPECT_EQ(c.records[0].get("domain"), "missing.example");
  EXPECT_EQ(c.records[1].get("status"), "servfail");
  EXPECT_EQ(c.records[1].get("domain"), "broken.example");
  EXPECT_EQ(c.records[2].get("status"), "timeout");
  EXPECT_EQ(c.records[2].get("domain"), "slow.example");
  EXPECT_EQ(c.records[3].get("status"), "nodata");
  EXPECT_EQ(c.records[3].get("count"), "0");
  EXPECT_EQ(c.records[3].source.position, 26u);  // the command line
}

TEST(NslookupReader, JapaneseNonExistentDomainInUtf16) {
  const std::string utf16 = std::string("\xFF\xFE", 2) + encode(fixture("nslookup-srv-ja.txt"), "UTF-16LE");
  const Collected c = ingest_fixture("nslookup-srv-ja.txt", "nslookup-srv", utf16);
  ASSERT_EQ(c.records.size(), 1u);
  EXPECT_EQ(c.records[0].get("status"), "nxdomain");
  EXPECT_EQ(c.records[0].get("domain"), "corp.example");
}

TEST(ResolveDnsNameReader, TableAnswerAndLocalizedError) {
  const Collected c = ingest_fixture("resolve-dnsname-srv.txt", "resolve-dnsname-srv");
  ASSERT_EQ(c.records.size(), 2u);
  EXPECT_EQ(c.records[0].get("status"), "records");
  EXPECT_EQ(c.records[0].get("targets"), "0 100 1688 kms1.contoso.com");
  EXPECT_EQ(c.records[0].get("domain"), "contoso.com");
  EXPECT_EQ(c.records[1].get("status"), "nxdomain");
  EXPECT_EQ(c.records[1].get("domain"), "missing.example");
}

TEST(ResolveDnsNameReader, ListView) {
  const std::string text =
      "Name       : _vlmcs._tcp.corp.example\nType       : SRV\nTTL        : 600\nSection    : Answer\n"
      "NameTarget : kms9.corp.example\nPriority   : 0\nWeight     : 0\nPort       : 1688\n\n";
  const Collected c = read_as(resolve_dnsname_srv_format(), text);
  ASSERT_EQ(c.records.size(), 1u);
  EXPECT_EQ(c.records[0].get("targets"), "0 0 1688 kms9.corp.example");
}

TEST(DigReader, AnswerNxdomainTimeout) {
  const Collected c = ingest_fixture("dig-srv.txt", "dig-srv");
  ASSERT_EQ(c.records.size(), 3u);
  EXPECT_EQ(c.records[0].get("status"), "records");
  EXPECT_EQ(c.records[0].get("targets"), "10 50 1688 kms1.corp.example,20 10 1688 kms3.corp.example");
  EXPECT_EQ(c.records[0].get("server"), "127.0.0.1#5399");
  EXPECT_EQ(c.records[1].get("status"), "nxdomain");
  EXPECT_EQ(c.records[1].get("domain"), "missing.corp.example");
  EXPECT_EQ(c.records[2].get("status"), "timeout");
  EXPECT_EQ(c.records[2].get("domain"), "servfail.example");
}

}  // namespace
}  // namespace kmsdiag::testing
