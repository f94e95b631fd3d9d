#include "ingest/event_xml_markup.hpp"

#include <gtest/gtest.h>

namespace kmsdiag {
namespace {

Markup kind(std::string_view text, bool complete = true) { return classify_markup(text, complete).kind; }

TEST(EventXmlMarkup, EventStartNeedsTheWholeNameAndABoundary) {
  EXPECT_EQ(kind("<Event xmlns='x'>"), Markup::kEventStart);
  EXPECT_EQ(kind("<Event>"), Markup::kEventStart);
  EXPECT_EQ(kind("<Event/>"), Markup::kEventStart);
  EXPECT_EQ(classify_markup("<e:Event\txmlns:e='x'>", true).name_length, 7u);
  for (const char* not_event : {"<EventData>", "<EventID>", "<EventRecordID>", "<e:EventData>", "<MyEvent>", "<:Event>",
                                "<a:b:Event>", "<System>"}) {
    EXPECT_EQ(kind(not_event), Markup::kGarbage) << not_event;
  }
  EXPECT_EQ(kind("<Events>"), Markup::kRootTag);
  EXPECT_EQ(kind("</ev:Events >"), Markup::kRootTag);
}

TEST(EventXmlMarkup, UndecidedUntilEnoughBytesOrTheEnd) {
  EXPECT_EQ(kind("<Even", false), Markup::kNeedMore);
  EXPECT_EQ(kind("<Event", false), Markup::kNeedMore);
  EXPECT_EQ(kind("<Event", true), Markup::kGarbage);
  EXPECT_EQ(kind("<?xml version='1.0'", false), Markup::kNeedMore);
  EXPECT_EQ(kind("<?xml version='1.0'", true), Markup::kGarbage);
  EXPECT_EQ(kind("evtx", false), Markup::kNeedMore);
}

TEST(EventXmlMarkup, SkipsDeclarationsCommentsAndEvtxexportLines) {
  const MarkupSpan decl = classify_markup("<?xml version=\"1.0\"?><Events>", true);
  EXPECT_EQ(decl.kind, Markup::kSkip);
  EXPECT_EQ(decl.length, 21u);
  EXPECT_EQ(classify_markup("<!-- a > b -->x", true).length, 14u);
  EXPECT_EQ(classify_markup("evtxexport 20181227\n\n<Event>", true).length, 20u);
  EXPECT_EQ(kind("No records to export.\n"), Markup::kSkip);
  EXPECT_EQ(classify_markup(" \r\n\t<", true).length, 4u);
  const MarkupSpan junk = classify_markup("junk more<Event>", true);
  EXPECT_EQ(junk.kind, Markup::kGarbage);
  EXPECT_EQ(junk.length, 4u);
}

}  // namespace
}  // namespace kmsdiag
