// The shipped rules/tables load and answer; broken tables fail with file:line.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "knowledge/knowledge.hpp"

namespace kmsdiag {
namespace {

namespace fs = std::filesystem;

const std::string kTables = std::string(KMSDIAG_SOURCE_DIR) + "/rules/tables";

const Knowledge& shipped() {
  static const Knowledge kb = Knowledge::load(kTables);
  return kb;
}

TEST(CanonicalCode, AcceptsTheFormsLogsAndToolsPrint) {
  EXPECT_EQ(Knowledge::canonical_code("0xc004f074"), "0xC004F074");
  EXPECT_EQ(Knowledge::canonical_code("C004F074"), "0xC004F074");
  EXPECT_EQ(Knowledge::canonical_code("hr=0x800704CF"), "0x800704CF");
  EXPECT_EQ(Knowledge::canonical_code("HR=0xC004F011"), "0xC004F011");
  EXPECT_EQ(Knowledge::canonical_code("-1073418124"), "0xC004F074");
  EXPECT_EQ(Knowledge::canonical_code("0x0"), "0x00000000");
  EXPECT_EQ(Knowledge::canonical_code("0"), "0x00000000");
  EXPECT_EQ(Knowledge::canonical_code(" 0xC004F056. "), "0xC004F056");
  EXPECT_EQ(Knowledge::canonical_code("80070005"), "0x80070005");
}

TEST(CanonicalCode, RejectsWhatIsNoCode) {
  EXPECT_EQ(Knowledge::canonical_code(""), "");
  EXPECT_EQ(Knowledge::canonical_code("0x"), "");
  EXPECT_EQ(Knowledge::canonical_code("0x123456789"), "");
  EXPECT_EQ(Knowledge::canonical_code("kms1:1688"), "");
  EXPECT_EQ(Knowledge::canonical_code("00000600D9E26BB27A98E13D"), "");
  EXPECT_EQ(Knowledge::canonical_code("-99999999999"), "");
}

TEST(CanonicalGuid, LowerCasesAndStripsBraces) {
  EXPECT_EQ(Knowledge::canonical_guid("{EF6CFC9F-8C5D-44AC-9AAD-DE6A2EA0AE03}"),
            "ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03");
  EXPECT_EQ(Knowledge::canonical_guid("…-b604-…"), "");
}

TEST(ShippedTables, ErrorCodesCarryTheirCause) {
  const Knowledge& kb = shipped();
  struct Case {
    const char* code;
    const char* cause;
    bool kms;
  };
  for (const Case& c :
       {Case{"0xC004F038", "count-below-threshold", true}, Case{"0xc004f074", "host-unreachable", true},
        Case{"-2147023174", "host-unreachable", true}, Case{"8007232B", "srv-record-missing", true},
        Case{"0x8007232A", "dns-server-failure", true}, Case{"0xC004F06C", "time-skew", true},
        Case{"0xC004F015", "host-key-mismatch", true}, Case{"0x80072338", "dns-publish-failed", true},
        Case{"0xC004C008", "activation-limit-exceeded", true}, Case{"0x80072EE7", "online-activation-failed", false},
        Case{"0xC004F056", "never-activated", true}}) {
    const ErrorInfo* info = kb.error(c.code);
    ASSERT_NE(info, nullptr) << c.code;
    EXPECT_EQ(info->cause, c.cause) << c.code;
    EXPECT_EQ(info->kms, c.kms) << c.code;
    EXPECT_FALSE(info->meaning.empty()) << c.code;
    EXPECT_FALSE(info->fix.empty()) << c.code;
  }
  EXPECT_EQ(kb.error("0xC004F074")->symbol, "SL_E_VL_BINDING_SERVICE_UNAVAILABLE");
  EXPECT_EQ(kb.error("0xDEADBEEF"), nullptr);
}

TEST(ShippedTables, EveryCodeInTheReferenceSectionIsPresent) {
  const Knowledge& kb = shipped();
  for (const char* code :
       {"0xC004F038", "0xC004F039", "0xC004F041", "0xC004F042", "0xC004F06C", "0xC004F074", "0xC004F035", "0xC004F056",
        "0xC004F059", "0xC004F015", "0xC004F034", "0xC004E016", "0xC004F050", "0xC004F051", "0xC004F014", "0xC004F00F",
        "0xC004F009", "0xC004F02C", "0xC004F064", "0x4004F065", "0xC004F06B", "0xC004F011", "0xC004F025", "0xC004F069",
        "0x4004F040", "0xC004C001", "0xC004C003", "0xC004C008", "0xC004C020", "0xC004C021", "0xC004B100", "0x8004FE21",
        "0x80070005", "0x8007007B", "0x8007232B", "0x8007232A", "0x8007251D", "0x80092328", "0x80072338", "0x800706BA",
        "0xC0020017", "0x8007139F", "0x80072EE7", "0x80072EE2", "0x800704CF"}) {
    EXPECT_NE(kb.error(code), nullptr) << code;
  }
}

TEST(ShippedTables, IssueNineCodesCarryCauseAndSource) {
  const Knowledge& kb = shipped();
  const std::string article =
      "https://learn.microsoft.com/en-us/troubleshoot/windows-server/licensing-and-activation/"
      "troubleshoot-activation-error-codes";
  struct Case {
    const char* code;
    const char* cause;
    bool kms;
    std::string source;
  };
  for (const Case& c : {
           Case{"0xC004B100", "product-key-invalid", false, article},
           Case{"0xC004F074", "host-unreachable", true, article},
           Case{"0x80070490", "product-key-invalid", false, article},
           Case{"0xC004F081", "adba-misconfigured", false, "slerror.h SL_E_VL_AD_AO_NOT_FOUND"},
           Case{"0xC004F083", "adba-misconfigured", false, "slerror.h SL_E_VL_AD_SCHEMA_VERSION_NOT_SUPPORTED"},
           Case{"0xC004FD03", "avma-failed", false,
                "https://learn.microsoft.com/en-us/windows-server/get-started/automatic-vm-activation"},
           Case{"0xC004FD04", "avma-failed", false, "slerror.h SL_E_IA_MACHINE_NOT_BOUND"},
           Case{"0xC004E002", "license-store-damaged", false,
                "https://github.com/MicrosoftDocs/SupportArticles-docs/blob/main/support/windows-server/"
                "licensing-and-activation/error-0xc004e002-during-activation.md"},
           Case{"0xC004E01C", "evaluation-edition", false, "slerror.h SL_E_PKEY_INVALID_KEYCHANGE1"},
           Case{"0x8007267C", "dns-server-failure", true,
                "https://github.com/MicrosoftDocs/SupportArticles-docs/blob/main/support/windows-server/"
                "licensing-and-activation/windows-activation-fails-with-error-0x8007267.md"},
           Case{"0x80072F8F", "online-activation-failed", false, "winerror.h ERROR_INTERNET_SECURE_FAILURE"},
       }) {
    const ErrorInfo* info = kb.error(c.code);
    ASSERT_NE(info, nullptr) << c.code;
    EXPECT_EQ(info->cause, c.cause) << c.code;
    EXPECT_EQ(info->kms, c.kms) << c.code;
    EXPECT_EQ(info->source, c.source) << c.code;
  }
  // Microsoft's wording for 0xC004F074 names both readings.
  const std::string f074 = kb.error("0xC004F074")->meaning;
  EXPECT_NE(f074.find("could be contacted"), std::string::npos);
  EXPECT_NE(f074.find("returned an error"), std::string::npos);
  EXPECT_EQ(kb.error("0xC004F063")->symbol, "SL_E_SLP_OEM_CERT_MISSING");
  EXPECT_EQ(kb.error("0x4004F040")->symbol, "SL_E_VL_INFO_PRODUCT_USER_RIGHT");
  // Every shipped row records where it was checked.
  for (const char* code : {"0xC004F038", "0x8007232B", "0x803F7001", "0xC004E015", "0xC004C4AF"}) {
    EXPECT_FALSE(kb.error(code)->source.empty()) << code;
  }
}

TEST(ShippedTables, ProductsAndThresholds) {
  const Knowledge& kb = shipped();
  const ProductInfo* ws2008r2 = kb.product("68531FB9-5511-4989-97BE-D11A0F55633F");
  ASSERT_NE(ws2008r2, nullptr);
  EXPECT_EQ(ws2008r2->family, "windows-server");
  EXPECT_EQ(ws2008r2->n_policy, 5);
  const ProductInfo* pro = kb.product("{2de67392-b7a7-462a-b1ca-108dd189f588}");
  ASSERT_NE(pro, nullptr);
  EXPECT_EQ(pro->n_policy, 25);
  EXPECT_EQ(pro->family, "windows-client");
  EXPECT_EQ(kb.product("fbdb3e18-a8ef-4fb3-9183-dffd60bd0984")->family, "office");
  EXPECT_TRUE(kb.product("98ebfe73-2084-4c97-932c-c0cd1643bea7")->kms_host);
  EXPECT_EQ(kb.product("00000000-0000-0000-0000-000000000000"), nullptr);
}

TEST(ShippedTables, KeyGroupsDecideWhatAHostActivates) {
  const Knowledge& kb = shipped();
  const char* ws2022_dc = "ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03";
  const char* win_pro = "2de67392-b7a7-462a-b1ca-108dd189f588";
  const char* ws2008r2 = "68531fb9-5511-4989-97be-d11a0f55633f";
  EXPECT_EQ(kb.activates("ws2022", ws2022_dc), true);
  EXPECT_EQ(kb.activates("ws2025", ws2022_dc), true);
  EXPECT_EQ(kb.activates("ws2019", ws2022_dc), false);
  EXPECT_EQ(kb.activates("ws2016", win_pro), true);
  EXPECT_EQ(kb.activates("ws2012r2", win_pro), false);       // S15: plain 2012 R2 key, Windows 10 client
  EXPECT_EQ(kb.activates("ws2012r2-win10", win_pro), true);  // ... with the "for Windows 10" key
  EXPECT_EQ(kb.activates("win10", win_pro), true);
  EXPECT_EQ(kb.activates("win10", ws2008r2), false);  // a client CSVLK activates no server
  EXPECT_EQ(kb.activates("ws2019", ws2008r2), true);
  EXPECT_EQ(kb.activates("office2016", win_pro), false);
  EXPECT_EQ(kb.activates("office2021", "fbdb3e18-a8ef-4fb3-9183-dffd60bd0984"), true);
  EXPECT_EQ(kb.activates("ws2099", win_pro), std::nullopt);
  EXPECT_EQ(kb.activates("ws2019", "00000000-0000-0000-0000-000000000000"), std::nullopt);
}

TEST(ShippedTables, CountLinesWindowsSharesOneEachOfficeVersionHasItsOwn) {
  const Knowledge& kb = shipped();
  const auto line = [&](const char* act_id) {
    const CountLine* l = kb.count_line_of(act_id);
    return l ? l->id : std::string("(none)");
  };
  EXPECT_EQ(line("2de67392-b7a7-462a-b1ca-108dd189f588"), "windows");  // Windows 10/11 Pro
  EXPECT_EQ(line("68531fb9-5511-4989-97be-d11a0f55633f"), "windows");  // Windows Server 2008 R2 Standard
  EXPECT_EQ(line("ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03"), "windows");  // Windows Server 2022 Datacenter
  EXPECT_EQ(line("6f327760-8c5c-417c-9b61-836a98287e0c"), "office2010");
  EXPECT_EQ(line("b322da9c-a2e2-4058-9e4e-f59a6970bd69"), "office2013");
  EXPECT_EQ(line("d450596f-894d-49e0-966a-fd39ed4c4c64"), "office2016");
  EXPECT_EQ(line("85dd8b5f-eaa4-4af3-a628-cce9e77c9a03"), "office2019");
  EXPECT_EQ(line("fbdb3e18-a8ef-4fb3-9183-dffd60bd0984"), "office2021");
  EXPECT_EQ(line("8d368fc1-9470-4be2-8d66-90e836cbb051"), "office2024");
  EXPECT_EQ(line("98ebfe73-2084-4c97-932c-c0cd1643bea7"), "office2016");  // the Office 2016 host key's own SKU
  EXPECT_EQ(line("47f3b983-7c53-4d45-abc6-bcd91e2dd90a"), "office2021");  // the Office LTSC 2021 host key's
  EXPECT_EQ(line("00000000-0000-0000-0000-000000000000"), "windows");     // unlisted
  EXPECT_EQ(line(""), "windows");
  // Caps: twice the threshold (Windows clients 25, Office 5).
  EXPECT_EQ(kb.count_line("windows")->cap, 50);
  EXPECT_EQ(kb.count_line("windows")->name, "Windows");
  for (const char* office :
       {"office2010", "office2013", "office2016", "office2019", "office2021", "office2024", "office"})
    EXPECT_EQ(kb.count_line(office)->cap, 10) << office;
  EXPECT_EQ(kb.count_line("office2021")->name, "Office LTSC 2021");
  EXPECT_LT(kb.count_line("windows")->order, kb.count_line("office2010")->order);
  EXPECT_EQ(kb.count_line("nonsense"), nullptr);
  for (const auto& [id, l] : kb.count_lines) EXPECT_EQ(l.source.rfind("http", 0), 0u) << id;
}

TEST(ShippedTables, LicenseStatusAndEventSources) {
  const Knowledge& kb = shipped();
  EXPECT_EQ(kb.license_status_name("1"), "Licensed");
  EXPECT_EQ(kb.license_status_name("5"), "Notification");
  EXPECT_EQ(kb.license_status_name("9"), "");
  EXPECT_TRUE(kb.is_licensing_source("Microsoft-Windows-Security-SPP", "Application"));
  EXPECT_TRUE(kb.is_licensing_source("Microsoft-Windows-Security-Licensing-SLC", "Application"));
  EXPECT_TRUE(kb.is_licensing_source("Office Software Protection Platform Service", "Application"));
  EXPECT_TRUE(kb.is_licensing_source("", "Key Management Service"));
  EXPECT_FALSE(kb.is_licensing_source("Microsoft-Windows-WMI", "Application"));
}

// A scratch copy of the shipped tables in which one file can be replaced.
class BrokenTables : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(KMSDIAG_BINARY_DIR) / "interp-knowledge-test" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const auto& entry : fs::directory_iterator(kTables)) {
      if (entry.path().extension() == ".yaml") fs::copy_file(entry.path(), dir_ / entry.path().filename());
    }
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string load_error() {
    try {
      Knowledge::load(dir_.string());
    } catch (const LoadError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(BrokenTables, SyntaxErrorNamesFileAndLine) {
  write("license-status.yaml", "statuses:\n  0: Unlicensed\n  1: [Licensed\n");
  const std::string error = load_error();
  EXPECT_NE(error.find("license-status.yaml:"), std::string::npos) << error;
  EXPECT_EQ(error.find("license-status.yaml:0:"), std::string::npos) << error;
}

TEST_F(BrokenTables, UnknownKeyIsAnErrorAtItsLine) {
  write("error-codes.yaml",
        "causes: [host-unreachable]\n"
        "codes:\n"
        "  - code: 0xC004F074\n"
        "    symbol: X\n"
        "    meening: typo\n"
        "    meaning: m\n"
        "    cause: host-unreachable\n"
        "    fix: f\n"
        "    kms: true\n");
  EXPECT_EQ(load_error(), (dir_ / "error-codes.yaml").string() + ":5: unknown key 'meening'");
}

TEST_F(BrokenTables, SourceIsOptionalAndKept) {
  write("error-codes.yaml",
        "causes: [host-unreachable]\n"
        "codes:\n"
        "  - code: 0xC004F074\n"
        "    symbol: X\n"
        "    meaning: m\n"
        "    cause: host-unreachable\n"
        "    fix: f\n"
        "    kms: true\n"
        "    source: slerror.h SL_E_VL_BINDING_SERVICE_UNAVAILABLE\n"
        "  - code: 0xC004F039\n"
        "    symbol: Y\n"
        "    meaning: m\n"
        "    cause: \"\"\n"
        "    fix: f\n"
        "    kms: true\n");
  fs::remove(dir_ / "texts-ja.yaml");  // it translates codes this two-row table does not have
  const Knowledge kb = Knowledge::load(dir_.string());
  EXPECT_EQ(kb.error("0xC004F074")->source, "slerror.h SL_E_VL_BINDING_SERVICE_UNAVAILABLE");
  EXPECT_EQ(kb.error("0xC004F039")->source, "");
}

TEST_F(BrokenTables, UnknownCauseAndBadCodeAreErrors) {
  write("error-codes.yaml",
        "causes: [host-unreachable]\n"
        "codes:\n"
        "  - {code: 0xC004F074, symbol: X, meaning: m, cause: host-unreachabel, fix: f, kms: true}\n");
  EXPECT_NE(load_error().find("error-codes.yaml:3: unknown cause 'host-unreachabel'"), std::string::npos);
  write("error-codes.yaml",
        "causes: []\n"
        "codes:\n"
        "  - {code: 0xC004F074, symbol: X, meaning: m, cause: '', fix: f, kms: maybe}\n");
  EXPECT_NE(load_error().find("error-codes.yaml:3: 'kms' must be true or false"), std::string::npos);
  write("error-codes.yaml",
        "causes: []\ncodes:\n\n  - {code: nonsense, symbol: X, meaning: m, cause: '', fix: f, kms: true}\n");
  EXPECT_NE(load_error().find("error-codes.yaml:4: 'nonsense' is not an HRESULT"), std::string::npos);
}

TEST_F(BrokenTables, ProductNamingAnUnknownKeyGroup) {
  write("products.yaml",
        "products:\n"
        "  2de67392-b7a7-462a-b1ca-108dd189f588: {name: Pro, family: windows-client, n_policy: 25, "
        "min_key_group: ws2015}\n");
  EXPECT_NE(load_error().find("products.yaml:2: unknown key group 'ws2015'"), std::string::npos) << load_error();
}

TEST_F(BrokenTables, CountLinesAreCheckedWhereverNamed) {
  const std::string lines =
      "families: {windows-client: windows, windows-server: windows, office: office}\n"
      "unlisted: windows\n"
      "lines:\n"
      "  - {id: windows, name: Windows, cap: 50, source: s}\n"
      "  - {id: office, name: Office, cap: 10, source: s}\n";
  write("count-lines.yaml", lines + "  - {id: office, name: Office again, cap: 10, source: s}\n");
  EXPECT_NE(load_error().find("count-lines.yaml:6: count line 'office' listed twice"), std::string::npos)
      << load_error();
  write("count-lines.yaml", lines + "  - {id: office2016, name: Office 2016, cap: 0, source: s}\n");
  EXPECT_NE(load_error().find("count-lines.yaml:6: cap must be at least 1"), std::string::npos) << load_error();
  write("count-lines.yaml",
        "families: {windows-client: windows, windows-server: windows}\nunlisted: windows\nlines:\n"
        "  - {id: windows, name: Windows, cap: 50, source: s}\n");
  EXPECT_NE(load_error().find("count-lines.yaml:1: families: no line for 'office'"), std::string::npos) << load_error();
  write("count-lines.yaml",
        "families: {windows-client: windows, windows-server: windows, office: offfice}\nunlisted: windows\n"
        "lines:\n  - {id: windows, name: Windows, cap: 50, source: s}\n");
  EXPECT_NE(load_error().find("count-lines.yaml:1: unknown count line 'offfice' (not in lines)"), std::string::npos)
      << load_error();
  // The shipped key groups and products name office2016 and others, which this table lacks.
  write("count-lines.yaml", lines);
  EXPECT_NE(load_error().find("key-groups.yaml:"), std::string::npos) << load_error();
  EXPECT_NE(load_error().find("unknown count line 'office2010' (count-lines.yaml)"), std::string::npos) << load_error();
  std::string many = "families: {windows-client: l0, windows-server: l0, office: l0}\nunlisted: l0\nlines:\n";
  for (int i = 0; i < 33; ++i) many += "  - {id: l" + std::to_string(i) + ", name: L, cap: 10, source: s}\n";
  write("count-lines.yaml", many);
  EXPECT_NE(load_error().find("count-lines.yaml:36: more than 32 count lines"), std::string::npos) << load_error();
}

TEST_F(BrokenTables, ProductNamingAnUnknownCountLine) {
  write("products.yaml",
        "products:\n"
        "  2de67392-b7a7-462a-b1ca-108dd189f588: {name: Pro, family: windows-client, n_policy: 25, "
        "min_key_group: ws2016, count_line: windowz}\n");
  EXPECT_NE(load_error().find("products.yaml:2: unknown count line 'windowz' (count-lines.yaml)"), std::string::npos)
      << load_error();
}

TEST_F(BrokenTables, MissingTableIsNamed) {
  fs::remove(dir_ / "key-groups.yaml");
  EXPECT_NE(load_error().find("key-groups.yaml:0: required table is missing"), std::string::npos);
}

TEST_F(BrokenTables, LabelTablesMergeAcrossFilesAndLanguages) {
  write("labels-a.yaml",
        "table: demo\nlabels:\n  en: {'Current count': current_count}\n  ja: {'現在のカウント': current_count}\n"
        "values:\n  en: {Licensed: '1'}\n");
  write("labels-b.yaml", "table: demo\nlabels:\n  de: {'Aktuelle Anzahl': current_count}\n");
  const Knowledge kb = Knowledge::load(dir_.string());
  const auto* demo = kb.labels("demo");
  ASSERT_NE(demo, nullptr);
  EXPECT_EQ(demo->at("Current count"), "current_count");
  EXPECT_EQ(demo->at("現在のカウント"), "current_count");
  EXPECT_EQ(demo->at("Aktuelle Anzahl"), "current_count");
  EXPECT_EQ(kb.labels("demo.values")->at("Licensed"), "1");
  EXPECT_EQ(kb.labels("nope"), nullptr);
}

TEST_F(BrokenTables, ConflictingLabelIsAnError) {
  write("labels-a.yaml", "table: demo\nlabels:\n  en: {'Current count': current_count}\n");
  write("labels-b.yaml", "table: demo\nlabels:\n  en:\n    'Current count': other\n");
  EXPECT_NE(load_error().find("labels-b.yaml:4: 'Current count' already maps to 'current_count'"), std::string::npos)
      << load_error();
}

TEST_F(BrokenTables, TranslatedTextsLoadPerLanguage) {
  write(
      "texts-ja.yaml",
      "language: ja\ncodes:\n  C004F074: {meaning: 'どの KMS ホストにも接続できません', fix: '確認します', source: x}\n"
      "causes:\n  host-unreachable: '接続できません'\n");
  const Knowledge kb = Knowledge::load(dir_.string());
  ASSERT_EQ(kb.texts.count("ja"), 1u);
  EXPECT_EQ(kb.texts.at("ja").errors.at("0xC004F074").meaning, "どの KMS ホストにも接続できません");
  EXPECT_EQ(kb.texts.at("ja").causes.at("host-unreachable"), "接続できません");
}

TEST_F(BrokenTables, TranslationOfAnUnknownCodeOrCauseIsAnError) {
  write("texts-ja.yaml", "language: ja\ncodes:\n  0xC004FFFF: {meaning: a, fix: b, source: c}\ncauses: {}\n");
  EXPECT_NE(load_error().find("texts-ja.yaml:3: '0xC004FFFF' is not in error-codes.yaml"), std::string::npos)
      << load_error();
  write("texts-ja.yaml", "language: ja\ncodes: {}\ncauses:\n  no-such-cause: x\n");
  EXPECT_NE(load_error().find("texts-ja.yaml:4: unknown cause 'no-such-cause'"), std::string::npos) << load_error();
  write("texts-ja.yaml", "language: ja\ncodes:\n  0xC004F074: {meaning: a, fix: '', source: c}\ncauses: {}\n");
  EXPECT_NE(load_error().find("texts-ja.yaml:3: meaning, fix and source must not be empty"), std::string::npos)
      << load_error();
}

TEST(ShippedTexts, EveryJapaneseRowNamesItsSource) {
  const Knowledge kb = Knowledge::load(kTables);
  ASSERT_EQ(kb.texts.count("ja"), 1u);
  EXPECT_GE(kb.texts.at("ja").errors.size(), 10u);
  for (const auto& [code, row] : kb.texts.at("ja").errors)
    EXPECT_TRUE(row.source.rfind("https://", 0) == 0 || row.source == "translation of error-codes.yaml") << code;
}

}  // namespace
}  // namespace kmsdiag
