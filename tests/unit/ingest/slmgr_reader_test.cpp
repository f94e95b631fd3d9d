#include "ingest/slmgr_reader.hpp"
#include "command_output_test_support.hpp"

namespace kmsdiag::testing {
namespace {

TEST(SlmgrReader, OfficeHostDlvWithWrappedUrlAndHostBlock) {
  const Collected c = ingest_fixture("slmgr-dlv-office2016-host.txt", "slmgr-text");
  ASSERT_EQ(c.records.size(), 2u);
  ASSERT_TRUE(c.problems.empty());
  const Record& product = c.records[0];
  EXPECT_EQ(product.kind, "cmd.slmgr");
  EXPECT_EQ(product.get("block"), "product");
  EXPECT_EQ(product.source.unit, "line");
  EXPECT_EQ(product.source.position, 1u);
  EXPECT_EQ(product.get("description"), "Office 16, VOLUME_KMS channel");
  EXPECT_EQ(product.get("license_status"), "1");
  EXPECT_EQ(product.get("license_status_text"), "Licensed");
  EXPECT_EQ(product.get("partial_key"), "KDQ2G");
  // The console wrapped the URL at 80 columns; the reader joins it back.
  EXPECT_EQ(product.get("use_license_url"),
            "https://activation.sls.microsoft.com/SLActivateProduct/SLActivateProduct.asmx?configextension=o16");
  EXPECT_EQ(product.get("validation_url"), "https://go.microsoft.com/fwlink/?LinkID=187557");
  const Record& host = c.records[1];
  EXPECT_EQ(host.get("block"), "kms-host");
  EXPECT_EQ(host.source.position, 14u);
  EXPECT_EQ(host.get("current_count"), "0");
  EXPECT_EQ(host.get("port"), "1688");
  EXPECT_EQ(host.get("dns_publishing"), "1");
  EXPECT_EQ(host.get("kms_priority"), "normal");
  EXPECT_EQ(host.get("total_requests"), "0");
  EXPECT_EQ(host.get("requests_oot_grace"), "0");
  EXPECT_EQ(host.get("license_status"), "1");  // the host key's own state travels with the block
  EXPECT_EQ(host.get("act_id"), "98EBFE73-2084-4C97-932C-C0CD1643BEA7");
}

TEST(SlmgrReader, UnindentedOffice2010HostWithCrLf) {
  const Collected c = ingest_fixture("slmgr-dli-office2010-host-unlicensed.txt", "slmgr-text");
  ASSERT_EQ(c.records.size(), 2u);
  EXPECT_EQ(c.records[0].get("license_in_use"), "0");
  EXPECT_EQ(c.records[0].get("license_status"), "0");
  EXPECT_EQ(c.records[1].get("block"), "kms-host");
  EXPECT_EQ(c.records[1].get("current_count"), "3");
  EXPECT_EQ(c.records[1].get("dns_publishing"), "0");
  EXPECT_EQ(c.records[1].get("kms_priority"), "low");
  EXPECT_EQ(c.records[1].get("license_status"), "0");
}

TEST(SlmgrReader, AtoFailureThenDlv) {
  const Collected c = ingest_fixture("slmgr-ato-dlv-ws2019.txt", "slmgr-text");
  ASSERT_EQ(c.records.size(), 2u);
  const Record& ato = c.records[0];
  EXPECT_EQ(ato.kind, "cmd.slmgr-ato");
  EXPECT_EQ(ato.get("product"), "Windows(R), ServerStandard edition");
  EXPECT_EQ(ato.get("act_id"), "de32eafd-aaee-4662-9444-c1befb41bde2");
  EXPECT_EQ(ato.get("hresult"), "0xC004F074");
  EXPECT_EQ(ato.get("outcome"), "failed");
  // The message continues on the next console line.
  EXPECT_NE(ato.get("message").find("No Key Management Service (KMS) could be contacted"), std::string_view::npos);
  const Record& product = c.records[1];
  EXPECT_EQ(product.get("license_status"), "5");
  EXPECT_EQ(product.get("notification_reason"), "0xC004F056");
  EXPECT_EQ(product.get("activation_type"), "all");
  EXPECT_FALSE(product.has("ignore"));
}

TEST(SlmgrReader, SimplifiedChineseDlvInUtf16) {
  const std::string utf16 = std::string("\xFF\xFE", 2) + encode(fixture("slmgr-dlv-zh-client.txt"), "UTF-16LE");
  const Collected c = ingest_fixture("slmgr-dlv-zh-client.txt", "slmgr-text", utf16);
  ASSERT_EQ(c.records.size(), 1u);
  const Record& r = c.records[0];
  EXPECT_EQ(r.get("service_version"), "10.0.17763.1039");
  EXPECT_EQ(r.get("name"), "Windows(R), EnterpriseS edition");
  EXPECT_EQ(r.get("license_status"), "1");
  EXPECT_EQ(r.get("volume_expiration"), "259197 分钟(180天）");
  EXPECT_EQ(r.get("activation_type"), "all");
  EXPECT_EQ(r.get("cmid"), "3a1f7c55-0c8b-4b7c-8f6e-2f0e5a9b1c44");
  EXPECT_EQ(r.get("kms_dns_name"), "kms.vircloud.net:1688");
  EXPECT_EQ(r.get("renewal_interval"), "10080 分钟");
  EXPECT_EQ(r.get("host_caching"), "1");
}

// cmd's `>` on a Simplified Chinese Windows writes the console code page, GBK (CP936), without a BOM.
// CP932 fits many of those bytes too: the labels decide which code page the file is in.
TEST(SlmgrReader, SimplifiedChineseDlvInGbk) {
  InputSummary summary;
  const Collected c = ingest_bytes(encode(fixture("slmgr-dlv-zh-client.txt"), "GBK"), summary, "zh.txt");
  EXPECT_EQ(summary.encoding, "gbk");
  EXPECT_EQ(summary.format, "slmgr-text");
  ASSERT_EQ(c.records.size(), 1u);
  EXPECT_TRUE(c.problems.empty());
  const Record& r = c.records[0];
  EXPECT_EQ(r.get("license_status"), "1");
  EXPECT_EQ(r.get("volume_expiration"), "259197 分钟(180天）");
  EXPECT_EQ(r.get("kms_dns_name"), "kms.vircloud.net:1688");
}

TEST(SlmgrReader, JapaneseDli) {
  const Collected c = ingest_fixture("slmgr-dli-ja-client.txt", "slmgr-text");
  ASSERT_EQ(c.records.size(), 1u);
  EXPECT_EQ(c.records[0].get("description"), "Windows(R) Operating System, RETAIL channel");
  EXPECT_EQ(c.records[0].get("license_status"), "5");
  EXPECT_EQ(c.records[0].get("notification_reason"), "0xC004F034");
}

TEST(SlmgrReader, Xpr) {
  const Collected c = ingest_fixture("slmgr-xpr.txt", "slmgr-text");
  ASSERT_EQ(c.records.size(), 2u);
  EXPECT_EQ(c.records[0].kind, "cmd.slmgr-xpr");
  EXPECT_EQ(c.records[0].get("product"), "Windows(R), Professional edition");
  EXPECT_EQ(c.records[0].get("state"), "permanent");
  EXPECT_EQ(c.records[1].get("state"), "volume");
  EXPECT_EQ(c.records[1].get("expires"), "5/24/2023 1:21:53 AM");
  EXPECT_EQ(c.records[1].source.position, 5u);
}

constexpr std::string_view kAtoFailure =
    "Activating Windows(R), ServerStandard edition (de32eafd-aaee-4662-9444-c1befb41bde2) ...\n"
    "Error: 0xC004F074 The Software Licensing Service reported that the computer could not be activated.\n"
    "No Key Management Service (KMS) could be contacted.\n";
constexpr std::string_view kAtoSuccess =
    "Activating Windows(R), Professional edition (2de67392-b7a7-462a-b1ca-108dd189f588) ...\n"
    "Product activated successfully.\n";

// A ticket tool joined the lines of /ato output into one: the record is the one of the lines apart.
TEST(SlmgrReader, AtoFlattenedOntoOneLine) {
  for (const std::string_view lines : {kAtoFailure, kAtoSuccess}) {
    std::string flat(lines);
    for (size_t nl; (nl = flat.find('\n')) != flat.size() - 1;) flat[nl] = ' ';
    const Collected joined = ingest_fixture("ato.txt", "slmgr-text", flat);
    const Collected apart = read_as(slmgr_text_format(), lines);
    ASSERT_EQ(joined.records.size(), 1u) << flat;
    EXPECT_TRUE(joined.problems.empty());
    EXPECT_EQ(contents(joined.records), contents(apart.records));
  }
  const Collected failed = read_as(slmgr_text_format(), kAtoFailure);
  ASSERT_EQ(failed.records.size(), 1u);
  EXPECT_EQ(failed.records[0].get("product"), "Windows(R), ServerStandard edition");
  EXPECT_EQ(failed.records[0].get("act_id"), "de32eafd-aaee-4662-9444-c1befb41bde2");
  EXPECT_EQ(failed.records[0].get("hresult"), "0xC004F074");
  EXPECT_EQ(failed.records[0].get("outcome"), "failed");
  EXPECT_EQ(failed.records[0].get("message"),
            "The Software Licensing Service reported that the computer could not be activated. No Key Management "
            "Service (KMS) could be contacted.");
  const Collected ok = read_as(slmgr_text_format(), kAtoSuccess);
  ASSERT_EQ(ok.records.size(), 1u);
  EXPECT_EQ(ok.records[0].get("act_id"), "2de67392-b7a7-462a-b1ca-108dd189f588");
  EXPECT_EQ(ok.records[0].get("hresult"), "0x00000000");
  EXPECT_EQ(ok.records[0].get("outcome"), "activated");
}

// Japanese /ato names the product before the verb; its result line is a success sentence or "エラー:".
TEST(SlmgrReader, JapaneseAtoProductBeforeVerb) {
  const std::string product =
      "Windows(R), Professional edition (2de67392-b7a7-462a-b1ca-108dd189f588) のライセンス認証を行っています...";
  const std::string error = "エラー: 0xC004F074 キー管理サービス (KMS) に接続できませんでした。";
  for (const std::string& text : {product + "\r\n製品は正常にライセンス認証されました。\r\n",
                                  product + "\r\n" + error + "\r\n", product + " " + error + "\r\n"}) {
    const Collected c = ingest_fixture("ato-ja.txt", "slmgr-text", encode(text, "CP932"));
    ASSERT_EQ(c.records.size(), 1u) << text;
    const Record& r = c.records[0];
    EXPECT_EQ(r.kind, "cmd.slmgr-ato");
    EXPECT_EQ(r.get("product"), "Windows(R), Professional edition");
    EXPECT_EQ(r.get("act_id"), "2de67392-b7a7-462a-b1ca-108dd189f588");
    const bool failed = text.find(error) != std::string::npos;
    EXPECT_EQ(r.get("hresult"), failed ? "0xC004F074" : "0x00000000");
    EXPECT_EQ(r.get("outcome"), failed ? "failed" : "activated");
    EXPECT_EQ(r.get("message"), failed ? "キー管理サービス (KMS) に接続できませんでした。" : "");
  }
}

// slmgr /dli on a Japanese KMS host: "現在の数" and "現在のカウント" both name the current count.
TEST(SlmgrReader, JapaneseCurrentCountLabels) {
  for (const std::string_view label : {"現在のカウント", "現在の数"}) {
    const std::string text =
        "名前: Windows(R), ServerStandard edition\n説明: Windows(R) Operating System, "
        "VOLUME_KMS_WS19 channel\nライセンスの状態: ライセンスされています\n\n"
        "キー管理サービスはこのコンピューターで有効です\n    " +
        std::string(label) + ": 25\n";
    const Collected c = ingest_fixture("dli-ja-host.txt", "slmgr-text", text);
    ASSERT_EQ(c.records.size(), 2u) << label;
    EXPECT_EQ(c.records[1].get("block"), "kms-host");
    EXPECT_EQ(c.records[1].get("current_count"), "25") << label;
  }
}

TEST(SlmgrReader, NotClaimedByOtherText) {
  EXPECT_EQ(slmgr_text_format().detect("Name: kms1.contoso.com\nAddress: 10.0.0.5\n", shipped_kb()), 0);
  EXPECT_EQ(slmgr_text_format().detect("hello world\n", shipped_kb()), 0);
}

TEST(SlmgrReader, GarbageAndHugeBlocksAreBounded) {
  std::string text = "Name: x\nDescription: y\nLicense Status: Licensed\n";
  for (int i = 0; i < 300; ++i) text += "Current count: " + std::to_string(i) + "\n";
  text += std::string(70000, 'A') + "\n";
  const Collected c = read_as(slmgr_text_format(), text);
  ASSERT_EQ(c.records.size(), 1u);  // no host block header: counts land in the product block
  EXPECT_EQ(c.records[0].get("current_count"), "299");
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_EQ(c.problems[0].where.position, 304u);
}

}  // namespace
}  // namespace kmsdiag::testing
