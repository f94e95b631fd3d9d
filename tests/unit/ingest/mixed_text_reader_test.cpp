// One ticket file holding slmgr output and pasted events: each part gives the records it gives alone.
#include "ingest/pasted_event_reader.hpp"
#include "ingest/slmgr_reader.hpp"

#include "command_output_test_support.hpp"

namespace kmsdiag::testing {
namespace {

constexpr std::string_view kKbEvent =
    "Source: Microsoft-Windows-Security-SPP\n"
    "Event ID: 12288\n"
    "Level: Information\n"
    "Description:\n"
    "The client has sent an activation request to the key management service machine.\n"
    "Info:\n"
    "0xC004F074, 0x00000000, kms1.contoso.com:1688, 36f27b39-2fd5-440b-be67-a09996d27a38, 2010/09/29 17:52, 0, 2, "
    "41760, 68531fb9-5511-4989-97be-d11a0f55633f, 5\n";

constexpr std::string_view kCopyDetails =
    "Log Name:      Key Management Service\n"
    "Source:        Microsoft-Windows-Security-SPP\n"
    "Date:          9/29/2010 9:46:12 PM\n"
    "Event ID:      12290\n"
    "Level:         Information\n"
    "Computer:      kms1.contoso.com\n"
    "Description:\n"
    "An activation request has been processed.\n"
    "Info:\n"
    "0xC004F06C,5,pc7.contoso.com,36f27b39-2fd5-440b-be67-a09996d27a38,2010/9/29 21:46,0,2,41520,"
    "68531fb9-5511-4989-97be-d11a0f55633f\n";

constexpr std::string_view kFlatAto =
    "Activating Windows(R), ServerStandard edition (de32eafd-aaee-4662-9444-c1befb41bde2) ... Error: 0xC004F074 The "
    "Software Licensing Service reported that the computer could not be activated. No Key Management Service (KMS) "
    "could be contacted.\n";

// The /dlv part of the fixture (it starts with /ato output, then a blank line).
std::string dlv() {
  const std::string text = fixture("slmgr-ato-dlv-ws2019.txt");
  return text.substr(text.find("\n\n") + 2);
}

// Reads `parts` joined by blank lines as one file and checks that its records are those of the
// parts read as files of their own, in order.
void expect_parts_kept(const std::vector<std::string>& parts, const std::string& format) {
  std::string joined;
  std::vector<Record> alone;
  for (const auto& part : parts) {
    joined += (joined.empty() ? "" : "\n") + part;
    InputSummary summary;
    Collected c = ingest_bytes(part, summary);
    EXPECT_TRUE(c.problems.empty()) << c.problems[0].describe();
    ASSERT_FALSE(c.records.empty()) << part;
    for (auto& r : c.records) alone.push_back(std::move(r));
  }
  const Collected mixed = ingest_fixture("ticket.txt", format, joined);
  EXPECT_TRUE(mixed.problems.empty()) << mixed.problems[0].describe();
  EXPECT_EQ(contents(mixed.records), contents(alone));
}

TEST(MixedTextReader, SlmgrDliThenKbStyleEvent) {
  expect_parts_kept({fixture("slmgr-dli-ja-client.txt"), std::string(kKbEvent)}, "slmgr-text");
}

TEST(MixedTextReader, CopyDetailsEventThenDlv) { expect_parts_kept({std::string(kCopyDetails), dlv()}, "slmgr-text"); }

TEST(MixedTextReader, FlattenedAtoThenEventThenDlv) {
  expect_parts_kept({std::string(kFlatAto), std::string(kKbEvent), dlv()}, "slmgr-text");
}

// Records keep their place in the whole file, and an event part that only a pasted-event file
// would be detected as still hands its slmgr part on.
TEST(MixedTextReader, PositionsAreThoseOfTheWholeFile) {
  const std::string text = std::string(kCopyDetails) + "\n" + std::string(kFlatAto);
  const Collected c = read_as(pasted_event_format(), text);
  ASSERT_EQ(c.records.size(), 2u);
  EXPECT_EQ(c.records[0].kind, "event");
  EXPECT_EQ(c.records[0].source.position, 1u);
  EXPECT_EQ(c.records[1].kind, "cmd.slmgr-ato");
  EXPECT_EQ(c.records[1].source.position, 12u);
  EXPECT_EQ(c.records[1].get("hresult"), "0xC004F074");
}

// A "Description:" line is slmgr's too, and a sentence in an event's message may follow a blank
// line: neither leaves the event.
TEST(MixedTextReader, EventLinesThatLookLikeSlmgrStayInTheEvent) {
  const std::string text =
      "Source: Microsoft-Windows-Security-SPP\nEvent ID: 12290\nDescription:\n"
      "An activation request has been processed.\n\nInfo:\n"
      "0xC004F06C,5,pc7.contoso.com,36f27b39-2fd5-440b-be67-a09996d27a38,2010/9/29 21:46,0,2,"
      "41520,68531fb9-5511-4989-97be-d11a0f55633f\n";
  const Collected c = read_as(slmgr_text_format(), text);
  ASSERT_EQ(c.records.size(), 1u);
  EXPECT_EQ(c.records[0].kind, "event");
  EXPECT_EQ(c.records[0].get("channel"), "Key Management Service");
}

}  // namespace
}  // namespace kmsdiag::testing
