// The HTML report: names from the input never become markup, nothing is loaded from the network, and the
// page reads verdict first. (tests/report/check_html.py checks the page in a browser.)
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "analysis_builders.hpp"
#include "report/html_text.hpp"
#include "report/report.hpp"

namespace kmsdiag::testing {
namespace {

std::string render(const Analysis& a) {
  std::ostringstream out;
  render_html(a, out);
  return out.str();
}

const std::string kImg = "<img src=x onerror=alert(1)>";
const std::string kQuoted = "logs/\"quoted\" name's.evtx";

// Every place a report shows text from the input, holding hostile text.
Analysis hostile_analysis() {
  Analysis a = clone_analysis();
  Finding& symptom = a.findings[0];
  symptom.machines = {kImg};
  symptom.unnamed_machines = {"bundle/<script>alert(2)</script>/"};
  symptom.evidence[0].machine = kImg;
  symptom.evidence[0].source.path = kQuoted;
  symptom.evidence[1].summary = "12288 via \"><svg onload=alert(3)>:1688";
  a.inputs[0].path = kQuoted;
  a.inputs[1].problems[0].message = "bad name \x1b[2J<b>bold</b>";
  HostCountSeries host;
  host.host = "\"><svg onload=alert(4)>";
  host.line_name = "Windows";
  host.threshold = 25;
  host.buckets = day_buckets(utc_ms(2024, 3, 1, 0, 0, 0), utc_ms(2024, 3, 3, 0, 0, 0));
  host.counts = {3, 30, 7};
  a.fleet.host_counts.push_back(host);
  a.fleet.failures.buckets = host.buckets;
  a.fleet.failures.series.push_back({"<i>0xC004F074</i>", "SL_E_'x'", 3, {1, 0, 2}});
  MachineProduct m;
  m.machine = kImg;
  m.product = "Windows & <Office>";
  m.cmid = "'><script>alert(5)</script>";
  a.fleet.machines.push_back(m);
  return a;
}

TEST(HtmlText, EscapesMarkupQuotesAndControlCharacters) {
  EXPECT_EQ(html_escape(kImg), "&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_EQ(html_escape(kQuoted), "logs/&quot;quoted&quot; name&#39;s.evtx");
  EXPECT_EQ(html_escape("a & b"), "a &amp; b");
  EXPECT_EQ(html_escape("\x1b[31mred\n"), "\\x1b[31mred\\x0a");  // visible, as printable() shows them
  EXPECT_EQ(html_escape("caf\xe9"), "caf\\xe9");                 // not UTF-8: shown, not passed through
}

TEST(HtmlReport, InputNamesAppearEscapedNeverAsMarkup) {
  const std::string html = render(hostile_analysis());
  for (const std::string& markup :
       {std::string("<img"), std::string("<svg onload"), std::string("<script"), std::string("<b>bold"),
        std::string("<i>0x"), std::string("<Office>"), std::string("\"quoted\""), std::string("name's")})
    EXPECT_EQ(html.find(markup), std::string::npos) << markup;
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(html.find("logs/&quot;quoted&quot; name&#39;s.evtx"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;svg onload=alert(4)&gt;"), std::string::npos);  // in the chart's label
  EXPECT_NE(html.find("&lt;script&gt;alert(2)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("Windows &amp; &lt;Office&gt;"), std::string::npos);
  EXPECT_NE(html.find("\\x1b[2J&lt;b&gt;"), std::string::npos);
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
}

// The markup of a page: its tags (text from the input has no `<` left, so it cannot look like one) and its
// style sheet.
std::vector<std::string> tags_of(const std::string& html) {
  const std::regex tag(R"(<[A-Za-z!/][^>]*>)");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it)
    out.push_back(it->str());
  return out;
}

TEST(HtmlReport, LoadsNothingFromAnywhere) {
  const std::string html = render(hostile_analysis());
  // No element that fetches, no attribute that fetches, whatever the address; documentation links (<a href>)
  // are followed by the reader, never loaded, and are the only addresses in the markup.
  const std::regex fetching_tag(R"(^<(link|script|iframe|object|embed|image|use|img|audio|video|source)\b)",
                                std::regex::icase);
  const std::regex fetching_attribute(R"(\s(src|srcset|poster|data|background|xlink:href)\s*=)", std::regex::icase);
  const std::regex address(R"(https?:)", std::regex::icase);
  const std::regex link(R"(^<a rel="noreferrer" href="https://[^"]*">$)");
  size_t links = 0;
  for (const std::string& tag : tags_of(html)) {
    EXPECT_FALSE(std::regex_search(tag, fetching_tag)) << tag;
    EXPECT_FALSE(std::regex_search(tag, fetching_attribute)) << tag;
    if (std::regex_search(tag, address)) {
      EXPECT_TRUE(std::regex_match(tag, link)) << tag;
      ++links;
    }
  }
  EXPECT_GT(links, 0u);
  const size_t style = html.find("<style>"), style_end = html.find("</style>");
  ASSERT_LT(style, style_end);
  const std::string sheet = html.substr(style, style_end - style);
  EXPECT_EQ(sheet.find("url("), std::string::npos);
  EXPECT_EQ(sheet.find("@import"), std::string::npos);
  EXPECT_NE(html.find("content=\"default-src 'none'; style-src 'unsafe-inline'\""), std::string::npos);
}

TEST(HtmlReport, VerdictFirstThenCausesOverTimeMachinesInputs) {
  const std::string html = render(hostile_analysis());
  const size_t body = html.find("<body>");
  const size_t verdict = html.find("<header id=\"verdict\"");
  ASSERT_NE(body, std::string::npos);
  EXPECT_EQ(html.find('<', body + 1), verdict) << "the verdict comes first";
  EXPECT_NE(html.find("Verdict: 2 activation problems found; 1 root cause: Cloned machines share one CMID"),
            std::string::npos);
  size_t at = verdict;
  for (const char* section : {"id=\"findings\"", "id=\"timelines\"", "id=\"machines\"", "id=\"inputs\""}) {
    const size_t next = html.find(section);
    ASSERT_NE(next, std::string::npos) << section;
    EXPECT_GT(next, at) << section;
    at = next;
  }
  // The root cause, then the symptom it explains, with their evidence rows.
  const size_t root = html.find("class=\"finding depth-0 sev-critical\"");
  const size_t symptom = html.find("class=\"finding depth-1 sev-error\"");
  ASSERT_NE(root, std::string::npos);
  ASSERT_NE(symptom, std::string::npos);
  EXPECT_LT(root, html.find("Cloned machines share one CMID", root));
  EXPECT_LT(root, symptom);
  EXPECT_LT(symptom, html.find("KMS count below the activation threshold", symptom));
  EXPECT_NE(html.find("Evidence: 41 records, first 5"), std::string::npos);
  EXPECT_NE(html.find("<svg class=\"chart\""), std::string::npos);
  EXPECT_NE(html.find("class=\"threshold\""), std::string::npos);
  EXPECT_NE(html.find("reaches its threshold of 25"), std::string::npos);
}

TEST(HtmlReport, SaysSoWhenThereIsNothingToDraw) {
  const std::string html = render(healthy_analysis());
  EXPECT_NE(html.find("Verdict: no activation problem found"), std::string::npos);
  EXPECT_NE(html.find("No dated request from a KMS host"), std::string::npos);
  EXPECT_NE(html.find("No dated failed attempt"), std::string::npos);
  EXPECT_NE(html.find("No machine's own license state"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace kmsdiag::testing
