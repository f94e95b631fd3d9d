// scan_event_xml_header stands in for pugixml on most events (issue 10): whatever it reads, pugixml must read
// too, and give the same header; whatever it does not judge, it must leave to pugixml.
#include "ingest/event_xml_header_scan.hpp"

#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <string>

namespace kmsdiag {
namespace {

std::string describe(const EventXmlHeader& h) {
  const auto v = [](const auto& o) { return o ? "'" + std::string(*o) + "'" : std::string("-"); };
  return "provider=" + v(h.provider) + " channel=" + v(h.channel) + " level=" + v(h.level) +
         " record_id=" + v(h.record_id) + " computer=" + v(h.computer) + " event_id=" + v(h.event_id) +
         " qualifiers=" + v(h.qualifiers) + " time=" + std::to_string(h.time_ms);
}

// What pugixml says of `xml`, as the event XML parser asks it: nullopt when it rejects the event.
std::optional<std::string> pugixml_header(const std::string& xml) {
  std::string copy = xml;
  pugi::xml_document doc;
  if (!doc.load_buffer_inplace(copy.data(), copy.size(), pugi::parse_default, pugi::encoding_utf8)) return std::nullopt;
  return describe(event_xml_header(doc.document_element()));
}

// The scan's promise: whatever it reads, pugixml reads too, and the same. Returns whether it read `xml`.
bool scanned_as_pugixml(const std::string& xml) {
  const std::optional<EventXmlHeader> scanned = scan_event_xml_header(xml);
  if (!scanned) return false;
  const std::optional<std::string> parsed = pugixml_header(xml);
  EXPECT_TRUE(parsed.has_value()) << "pugixml rejects what the scan read: " << xml;
  if (parsed) {
    EXPECT_EQ(describe(*scanned), *parsed) << xml;
  }
  return true;
}

constexpr const char* kWevtutil =
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider "
    "Name='Microsoft-Windows-Security-SPP' Guid='{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}' EventSourceName='Software "
    "Protection Platform Service'/><EventID Qualifiers='16384'>16384</EventID><Version>0</Version><Level>4</"
    "Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x80000000000000</Keywords><TimeCreated "
    "SystemTime='2023-05-13T17:47:44.7541208Z'/><EventRecordID>1001</EventRecordID><Correlation/><Execution "
    "ProcessID='0' ThreadID='0'/><Channel>Application</Channel><Computer>CLIENT-0017.corp.example</"
    "Computer><Security/></System><EventData><Data>2023-05-11T05:58:06Z</Data><Data>C:\\Windows\\x.msi</"
    "Data><Data></Data><Binary>7B36</Binary></EventData></Event>";

TEST(EventXmlHeaderScan, ReadsWhatEachExporterWritesAsPugixmlDoes) {
  EXPECT_TRUE(scanned_as_pugixml(kWevtutil));
  const std::optional<EventXmlHeader> h = scan_event_xml_header(kWevtutil);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->provider.value_or(""), "Microsoft-Windows-Security-SPP");
  EXPECT_EQ(h->event_id.value_or(""), "16384");
  EXPECT_EQ(h->record_id.value_or(""), "1001");
  EXPECT_NE(h->time_ms, kNoTime);
  // Event Viewer's "Save As XML": prefixes, double quotes, indentation, RenderingInfo.
  EXPECT_TRUE(scanned_as_pugixml(
      "<e:Event xmlns:e=\"http://schemas.microsoft.com/win/2004/08/events/event\">\r\n  <e:System>\r\n    "
      "<e:Provider Name=\"Microsoft-Windows-Security-SPP\" />\r\n    <e:EventID "
      "Qualifiers=\"49152\">12288</e:EventID>\r\n"
      "    <e:TimeCreated SystemTime=\"2024-01-02T03:04:05.678Z\" />\r\n    <e:EventRecordID>7</e:EventRecordID>\r\n"
      "    <e:Channel>Application</e:Channel>\r\n    <e:Computer>PC1</e:Computer>\r\n  </e:System>\r\n"
      "  <e:EventData>\r\n    <e:Data Name=\"x\">1</e:Data>\r\n  </e:EventData>\r\n  <e:RenderingInfo "
      "Culture=\"en-US\">"
      "<e:Message>A message, with &quot;quotes&quot; &amp; more.</e:Message></e:RenderingInfo>\r\n</e:Event  >"));
  // evtxexport: no namespace, an event id over 16 bits, no Qualifiers attribute.
  EXPECT_TRUE(scanned_as_pugixml(
      "<Event><System><Provider Name=\"Application Error\"/><EventID>1073741824</EventID><Channel>Application"
      "</Channel></System><UserData><A><B>x</B></A></UserData></Event>\n"));
}

TEST(EventXmlHeaderScan, HeaderValuesFollowPugixmlsTree) {
  for (const char* xml : {
           // The first of a repeated element; the time from the first TimeCreated with a valid one.
           "<Event><System><Provider Name='a'/><Provider Name='b'/><TimeCreated SystemTime='x'/>"
           "<TimeCreated "
           "SystemTime='2023-01-01T00:00:00Z'/><Channel>c1</Channel><Channel>c2</Channel></System></Event>",
           // EventSourceName when there is no Name; an empty provider when there is neither.
           "<Event><System><Provider EventSourceName=' s '/></System></Event>",
           "<Event><System><Provider Guid='g'/><Level/><Computer></Computer></System></Event>",
           // Prefixed attributes count by their local name, the first one wins.
           "<Event><System><Provider p:Name='first' Name='second'/></System></Event>",
           // Text around child elements: the first that is not all whitespace, trimmed.
           "<Event><System><EventID> <x>9</x> 12 <y/>13</EventID><Level>\f</Level></System></Event>",
           // Only the first System counts, and only its own children.
           "<Event><Other><Channel>no</Channel></Other><System><Deeper><Channel>no</Channel></Deeper></System>"
           "<System><Channel>no</Channel></System></Event>",
           "<Event><System/><System><Channel>no</Channel></System></Event>",
           // Whitespace in tags, and after the Event element.
           "<Event \n xmlns = 'x' ><System ><EventID\tQualifiers = \"1\" >5</EventID ></System></Event> \r\n",
           "<Event/>",
           // Values the header does not read may hold what pugixml rewrites, or '<'.
           "<Event x='a<b&amp;c\td\r\n'><System><Provider Guid='&lt;' Name='n'/></System><D>&amp;\r</D></Event>",
       })
    EXPECT_TRUE(scanned_as_pugixml(xml)) << xml;
}

TEST(EventXmlHeaderScan, LeavesToPugixmlWhatItDoesNotJudge) {
  for (const char* xml : {
           "<Event><System><Channel>a&amp;b</Channel></System></Event>",  // reference in a header value
           "<Event><System><Channel>a\r\nb</Channel></System></Event>",   // a line end pugixml rewrites
           "<Event><System><Provider Name='a&amp;b'/></System></Event>",  // reference in an attribute
           "<Event><System><Provider Name='a\tb'/></System></Event>",     // pugixml makes the tab a space
           "<Event><!-- c --><System/></Event>",
           "<Event><System><![CDATA[x]]></System></Event>",
           "<Event><?pi x?></Event>",
           "<Event><Sys\xC3\xA9m/></Event>",  // non-ASCII name
           "<Event><System></Event>",
           "<Event><System></system></Event>",  // mismatched
           "<Event><System>",
           "<Event",
           "<Event a='1'b='2'/>",
           "<Event a=1/>",
           "<Event a='1/>",
           "<Event/>x",
           "<Event></Event><Event/>",
           " <Event/>",
           "<Event>< System/></Event>",
           "<Event></ Event>",
           "<Event><a><b><c><d><e><f><g><h><i><j><k><l><m><n><o><p/></o></n></m></l></k></j></i></h></g></f></e></d>"
           "</c></b></a></Event>",  // 17 levels
       })
    EXPECT_FALSE(scan_event_xml_header(xml)) << xml;
  EXPECT_FALSE(scan_event_xml_header(std::string("<Event>a\0b</Event>", 18)));
  // At most kMaxScanElements elements, the Event element included.
  std::string wide = "<Event>";
  for (size_t k = 1; k < kMaxScanElements; ++k) wide += "<D/>";
  EXPECT_TRUE(scan_event_xml_header(wide + "</Event>"));
  EXPECT_FALSE(scan_event_xml_header(wide + "<D/></Event>"));
}

// The caller is asked once, as soon as System ends (or at the end, with no System): a no stops the scan.
TEST(EventXmlHeaderScan, AsksWhetherToGoOnOnceTheHeaderIsComplete) {
  int asked = 0;
  std::string seen;
  const auto keep_unless_12288 = [&](const EventXmlHeader& h) {
    ++asked;
    seen = h.event_id.value_or("");
    return seen != "12288";
  };
  // Malformed after System: an event about activation is left to pugixml before the damage is met.
  const std::string kms =
      "<Event><System><EventID>12288</EventID></System><EventData><Data>x</Dat></EventData></Event>";
  EXPECT_FALSE(scan_event_xml_header(kms, keep_unless_12288));
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(seen, "12288");
  asked = 0;
  EXPECT_TRUE(scan_event_xml_header("<Event><System><EventID>1</EventID></System><D/></Event>", keep_unless_12288));
  EXPECT_EQ(asked, 1);
  asked = 0;
  EXPECT_TRUE(scan_event_xml_header("<Event><EventData/></Event>", keep_unless_12288));
  EXPECT_EQ(asked, 1);
  asked = 0;
  EXPECT_FALSE(scan_event_xml_header("<Event><System/><EventData></Event>", keep_unless_12288));
  EXPECT_EQ(asked, 1);
}

// Every cut of a plain event, and every byte of it replaced: whatever the scan reads, pugixml reads the same.
TEST(EventXmlHeaderScan, NeverReadsWhatPugixmlWouldNot) {
  const std::string event = kWevtutil;
  size_t read = 0;
  for (size_t n = 0; n <= event.size(); ++n) read += scanned_as_pugixml(event.substr(0, n));
  EXPECT_EQ(read, 1u);  // only the whole event
  for (size_t at = 0; at < event.size(); ++at)
    for (const char c : std::string("<>/='\"& \t\r\n!?:aZ0-\x80\xFF", 21)) {  // the literal's NUL too
      std::string changed = event;
      changed[at] = c;
      scanned_as_pugixml(changed);
    }
}

// The scan tells the header only of the System children it reads: reads() must name exactly those element()
// takes anything from.
TEST(EventXmlHeaderScan, TheHeaderReadsTheChildrenItSaysItReads) {
  for (const std::string_view local : {"Provider", "EventID", "Version", "Level", "Task", "Opcode", "Keywords",
                                       "TimeCreated", "EventRecordID", "Correlation", "Execution", "Channel",
                                       "Computer", "Security", "System", "Data", "Message", "level", "EventIDs"}) {
    bool asked = false;
    EventXmlHeaderBuilder b;
    b.element(
        local,
        [&] {
          asked = true;
          return std::string_view("1");
        },
        [&](std::string_view) -> std::optional<std::string_view> {
          asked = true;
          return std::nullopt;
        });
    EXPECT_EQ(EventXmlHeaderBuilder::reads(local), asked) << local;
  }
}

// What a scanner that has learned shapes gives must be what the scan gives, whichever way it read the event.
std::string scanned(const std::optional<EventXmlHeader>& h) { return h ? describe(*h) : "(left to pugixml)"; }
void expect_scanner_as_scan(EventXmlHeaderScanner& scanner, const std::string& xml) {
  const auto keep = [](const EventXmlHeader& h) { return h.event_id.value_or("") != "12288"; };
  EXPECT_EQ(scanned(scanner.scan(xml, keep)), scanned(scan_event_xml_header(xml, keep))) << xml;
}

std::string replaced(std::string s, std::string_view from, std::string_view to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

TEST(EventXmlHeaderScanner, ReadsAKnownShapeWithOtherValuesAsTheScanDoes) {
  EventXmlHeaderScanner scanner;
  expect_scanner_as_scan(scanner, kWevtutil);
  ASSERT_GT(scanner.shapes().steps(), 0u);
  const std::string event = kWevtutil;
  const uint64_t before = scanner.replayed();
  for (const std::string& xml : {
           event,
           replaced(event, "Microsoft-Windows-Security-SPP", "Other"),
           replaced(event, ">16384</EventID>", ">12288</EventID>"),  // about activation: the caller stops it
           replaced(event, ">16384</EventID>", "> 7 </EventID>"),
           replaced(event, ">16384</EventID>", "></EventID>"),
           replaced(event, ">16384</EventID>", ">  </EventID>"),
           replaced(event, ">4</Level>", ">a > b</Level>"),
           replaced(event, "2023-05-13T17:47:44.7541208Z", "not a time"),
           replaced(event, "CLIENT-0017.corp.example", "x\"y'z"),
           replaced(event, "2023-05-11T05:58:06Z", "a&amp;b\r\n\tc"),  // a value the header does not read
           replaced(event, "{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}", "<&\t\n\r"),
           event + " \r\n\t",
       }) {
    const uint64_t n = scanner.replayed();
    expect_scanner_as_scan(scanner, xml);
    EXPECT_EQ(scanner.replayed(), n + 1) << xml;
  }
  EXPECT_EQ(scanner.replayed() - before, 12u);
  // Each left to the scan: what the header would not read as written, a NUL, other markup, cuts and additions.
  for (const std::string& xml : {
           replaced(event, ">Application</Channel>", ">App&amp;lication</Channel>"),
           replaced(event, ">Application</Channel>", ">App\rlication</Channel>"),
           replaced(event, "Microsoft-Windows-Security-SPP", "a\tb"),
           replaced(event, "2023-05-11T05:58:06Z", std::string("a\0b", 3)),
           replaced(event, "2023-05-11T05:58:06Z", "a<b/>c"),
           replaced(event, "'Software Protection Platform Service'", "\"Software\""),
           replaced(event, "<Version>", "<Version >"),
           replaced(event, "</Event>", "</Event><x/>"),
           event + "x",
           event.substr(0, event.size() - 1),
           event.substr(0, event.size() - 10),
       })
    expect_scanner_as_scan(scanner, xml);
}

// The scan makes no value of an empty text: "<Data></Data>" is markup, where "<Data>" ends a piece before a text.
// With both shapes learned, in either order, each event is read by its own.
TEST(EventXmlHeaderScanner, ReadsAnEmptyTextByTheShapeItMade) {
  const std::string with_text = replaced(kWevtutil, "<Data></Data><Binary>7B36</Binary>", "<Data>v</Data>");
  const std::string empty = kWevtutil;
  for (const auto& [first, second] : {std::pair{with_text, empty}, std::pair{empty, with_text}}) {
    EventXmlHeaderScanner scanner;
    expect_scanner_as_scan(scanner, first);
    expect_scanner_as_scan(scanner, second);
    const uint64_t before = scanner.replayed();
    for (int k = 0; k < 2; ++k) {
      expect_scanner_as_scan(scanner, first);
      expect_scanner_as_scan(scanner, second);
    }
    EXPECT_EQ(scanner.replayed() - before, 4u) << first;
  }
}

// Every cut of a known shape, and every byte of it replaced: the scanner says what the scan says.
TEST(EventXmlHeaderScanner, NeverReadsOtherwiseThanTheScan) {
  EventXmlHeaderScanner scanner;
  const std::string event = kWevtutil;
  expect_scanner_as_scan(scanner, event);
  for (size_t n = 0; n <= event.size(); ++n) expect_scanner_as_scan(scanner, event.substr(0, n));
  for (size_t at = 0; at < event.size(); ++at)
    for (const char c : std::string("<>/='\"& \t\r\n!?:aZ0-\x80\xFF", 21)) {
      std::string changed = event;
      changed[at] = c;
      expect_scanner_as_scan(scanner, changed);
    }
  EXPECT_GT(scanner.replayed(), event.size() * 5);  // the changes to values: a learned shape reads them
}

// Shapes it cannot keep are read by the scan: the memory a scanner takes is bounded.
TEST(EventXmlHeaderScanner, StopsLearningWhenFull) {
  EventXmlHeaderScanner scanner;
  for (int k = 0; k < 3000; ++k) {
    const std::string xml = "<Event><System><Channel>c</Channel></System><E" + std::to_string(k) + " a='1'>t</E" +
                            std::to_string(k) + "></Event>";
    expect_scanner_as_scan(scanner, xml);
    expect_scanner_as_scan(scanner, xml);
  }
  EXPECT_TRUE(scanner.shapes().full());
  EXPECT_LE(scanner.shapes().steps(), EventXmlShapes::kMaxSteps);
  EXPECT_GT(scanner.replayed(), EventXmlShapes::kMaxSteps / 4);  // three new steps an event: those it learned
}

}  // namespace
}  // namespace kmsdiag
