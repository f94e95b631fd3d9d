#include "report/redaction.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "analysis_builders.hpp"
#include "report/report.hpp"

namespace kmsdiag::testing {
namespace {

// A finding whose names, CMID, addresses, user and SID appear in its structured parts and inside its texts.
Analysis named_analysis() {
  Analysis a;
  InputSummary in = read_input("/home/alice/case/PC-SALES-7/Application.evtx", 10, 2);
  in.problems.push_back({SourceRef{in.path, "record", 3, ""}, "damaged near PC-SALES-7.corp.fabrikam.net"});
  a.inputs.push_back(in);
  Finding f = finding("host-unreachable", Severity::error, "The KMS host cannot be reached");
  f.explanation =
      "PC-SALES-7 asked kms-a.corp.fabrikam.net at 10.20.30.40 and fe80::1:2:3 (contoso? no: fabrikam.net) at "
      "2024-03-01T10:40:23Z as S-1-5-21-1004336348-1177238915-682003330-512; CMID "
      "8C1B7F2A-52A4-4D0E-9A1E-5D3B2F6C9E10.";
  f.evidence.push_back(evidence(in.path, 3, "PC-SALES-7.corp.fabrikam.net", utc_ms(2024, 3, 1, 10, 40, 23)));
  f.evidence[0].summary = "0xC004F074 via kms-a.corp.fabrikam.net:1688 (10.20.30.40), C:\\Users\\bob\\x.txt";
  f.machines = {"PC-SALES-7.corp.fabrikam.net"};
  f.facts = {{"host", "kms-a.corp.fabrikam.net"}, {"domain", "corp.fabrikam.net"}, {"hosts", "2"}};
  f.lists = {{"cmid", {"8c1b7f2a-52a4-4d0e-9a1e-5d3b2f6c9e10"}}};
  a.findings = {f};
  return a;
}

std::string json_of(const Analysis& a) {
  std::ostringstream out;
  render_json(a, out);
  return out.str();
}

TEST(Redaction, NoNameAddressCmidUserOrSidIsLeft) {
  Analysis a = named_analysis();
  redact(a, kDefaultRedactionKey);
  const std::string text = json_of(a);
  for (const char* original : {"PC-SALES-7", "pc-sales-7", "kms-a", "fabrikam", "10.20.30.40", "fe80::1:2:3", "alice",
                               "bob", "1004336348", "8c1b7f2a", "8C1B7F2A"})
    EXPECT_EQ(text.find(original), std::string::npos) << original << "\n" << text;
  const Finding& f = a.findings[0];
  EXPECT_EQ(f.machines[0].rfind("machine-", 0), 0u) << f.machines[0];
  EXPECT_NE(f.machines[0].find(".domain-"), std::string::npos);
  EXPECT_EQ(f.lists.at("cmid")[0].rfind("cmid-", 0), 0u);
  EXPECT_NE(f.explanation.find("10:40:23Z"), std::string::npos) << "a time is not an IPv6 address";
  EXPECT_NE(f.evidence[0].summary.find("0xC004F074"), std::string::npos);
  EXPECT_EQ(f.facts.at("hosts"), "2") << "a count is not a name";
  EXPECT_NE(f.evidence[0].summary.find("(192.0.2."), std::string::npos) << f.evidence[0].summary;
}

TEST(Redaction, TheSameNameGetsTheSamePseudonymEverywhereAndInEveryRun) {
  Analysis a = named_analysis(), b = named_analysis();
  redact(a, kDefaultRedactionKey);
  redact(b, kDefaultRedactionKey);
  EXPECT_EQ(json_of(a), json_of(b));
  const Finding& f = a.findings[0];
  const std::string short_name = f.machines[0].substr(0, f.machines[0].find('.'));
  // The short name in the explanation, the FQDN of the evidence and the folder of the file name agree.
  EXPECT_EQ(f.explanation.rfind(short_name, 0), 0u) << f.explanation;
  EXPECT_EQ(f.evidence[0].machine, f.machines[0]);
  EXPECT_NE(a.inputs[0].path.find("/" + short_name + "/"), std::string::npos) << a.inputs[0].path;
  // The CMID of the explanation (upper case) is the listed one (lower case).
  EXPECT_NE(f.explanation.find(f.lists.at("cmid")[0]), std::string::npos);
  Analysis c = named_analysis();
  redact(c, "another key");
  EXPECT_NE(json_of(a), json_of(c));
}

TEST(Redaction, HugeHostileTextIsRedactedWithoutExhaustingTheStack) {
  Analysis a = named_analysis();
  const std::string huge(300000, 'a');
  a.findings[0].explanation = "/home/" + huge + " " + std::string(100000, ':') + " PC-SALES-7 " + huge + ".1.2.3.4";
  redact(a, kDefaultRedactionKey);
  EXPECT_EQ(a.findings[0].explanation.find("PC-SALES-7"), std::string::npos);
  EXPECT_GT(a.findings[0].explanation.size(), 600000u);  // the text is kept, only names replaced
}

}  // namespace
}  // namespace kmsdiag::testing
