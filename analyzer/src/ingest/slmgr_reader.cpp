#include "ingest/slmgr_reader.hpp"

#include <optional>
#include <set>

#include "ingest/labeled_block.hpp"
#include "ingest/labeled_text.hpp"
#include "ingest/line_reader.hpp"
#include "ingest/mixed_text_reader.hpp"

namespace kmsdiag {
namespace {

constexpr std::string_view kFormat = "slmgr-text";
constexpr size_t kMaxLine = 64 * 1024;

// Fields of the product that a KMS host block repeats, so each record stands on its own.
constexpr std::string_view kProductIdentity[] = {"name", "description", "act_id", "license_status", "partial_key"};
// Fields whose localized text has a canonical value in the table ("Licensed" -> "1").
constexpr std::string_view kEnumerated[] = {"license_status", "kms_priority", "activation_type"};

enum class Section { product, kms_client, kms_host, adba };

// "Windows(R), ServerStandard edition (de32eafd-aaee-4662-9444-c1befb41bde2) ..." -> name and GUID.
void split_ato_product(std::string_view text, std::string& product, std::string& act_id) {
  text = trim(text);
  while (!text.empty() && text.back() == '.') text.remove_suffix(1);
  text = trim(text);
  product = std::string(text);
  act_id.clear();
  const size_t open = text.rfind('(');
  const size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return;
  const std::string_view inside = text.substr(open + 1, close - open - 1);
  if (inside.size() == 36 && inside[8] == '-' && inside[13] == '-' && inside[18] == '-' && inside[23] == '-' &&
      inside.find_first_not_of("0123456789abcdefABCDEF-") == std::string_view::npos) {
    act_id = ascii_lower(inside);
  }
  product = std::string(trim(text.substr(0, open)));
}

// Keys whose line begins a command's output (a product block, /ato, /xpr, a KMS host block), so
// such a line after a blank one in another format's text starts slmgr output.
bool opens_output(std::string_view key) {
  return key == "service_version" || key == "name" || key == "block" || key == "ato_product" || key == "ato_result" ||
         key.starts_with("xpr_");
}

// slmgr ends the /ato product line with "..."; a ticket tool that joined the lines put the result
// line after it ("... Error: 0xC004F074 ...", "... Product activated successfully.").
struct JoinedAto {
  std::string_view product;  // the text before the dots
  LabeledLine result;        // the line after them
};
std::optional<JoinedAto> split_joined_ato(const LabelMatcher& labels, std::string_view product_value) {
  const size_t dots = product_value.find("...");
  if (dots == std::string_view::npos) return std::nullopt;
  auto result = labels.match(trim(product_value.substr(dots + 3)));
  if (!result || (result->key != "ato_error" && result->key != "ato_result")) return std::nullopt;
  return JoinedAto{product_value.substr(0, dots), std::move(*result)};
}

class SlmgrParser final : public LineParser {
 public:
  explicit SlmgrParser(const Knowledge& kb) : labels_(kb, "slmgr") {}

  size_t max_line() const override { return kMaxLine; }
  void begin(const std::string& path, RecordSink& sink) override {
    sink_ = &sink;
    path_ = path;
    stats_ = {};
  }
  void line(std::string_view text, uint64_t no) override { on_line(text, no); }
  void end_part() override {
    finish_product();
    finish_ato();
    last_unlabeled_.clear();
  }
  void problem(uint64_t no, const std::string& message) override {
    ++stats_.problems;
    sink_->on_problem(Problem{{path_, "line", no, ""}, message});
  }
  ReadStats stats() const override { return stats_; }
  bool opens_part(std::string_view text, bool after_blank) const override {
    if (!after_blank) return false;
    const auto m = labels_.match(text);
    return m && opens_output(m->key);
  }

 private:
  void on_line(std::string_view raw, uint64_t no) {
    const std::string_view line = strip_trailing_blanks(raw);
    if (trim(line).empty()) {
      finish_ato();
      continuation_ = nullptr;
      return;
    }
    const auto m = labels_.match(line);
    if (!m) {
      on_unlabeled(line);
      return;
    }
    const bool wrapped = filled_console_width(line);
    continuation_ = nullptr;
    if (m->key == "ignore") return;
    if (m->key.starts_with("ato_")) return on_ato(*m, no, wrapped);
    finish_ato();
    if (m->key.starts_with("xpr_")) return on_xpr(*m, no);
    if (m->key == "service_version") {
      service_version_ = m->value;
      return;
    }
    if (m->key == "name") {
      finish_product();
      open_product(no);
    } else if (m->key == "block") {
      return on_block(m->value, no);
    }
    if (!product_.open()) open_product(no);
    BlockRecord& target = in_host() ? host_ : product_;
    if (m->key == "license_status") target.set("license_status_text", m->value);
    set_field(target, m->key, m->fixed ? m->value : canonical(m->key, m->value), no);
    if (!m->fixed) continuation_target(target, m->key, wrapped);
  }

  // A line no label claims: the rest of a wrapped line, the continuation of an /ato message, or
  // the product heading of /xpr output ("Windows(R), Professional edition:").
  void on_unlabeled(std::string_view line) {
    if (continuation_ && (continuation_wrapped_ || continuation_is_message_)) {
      const std::string_view more = continuation_wrapped_ ? line : trim(line);
      continuation_->append(continuation_key_, more, continuation_wrapped_ ? "" : " ");
      continuation_wrapped_ = filled_console_width(line);
      return;
    }
    continuation_ = nullptr;
    last_unlabeled_ = std::string(trim(line).substr(0, BlockRecord::kMaxValue));
  }

  void on_block(std::string_view which, uint64_t no) {
    if (!product_.open()) open_product(no);
    if (which == "kms-client") {
      section_ = Section::kms_client;
    } else if (which == "adba") {
      section_ = Section::adba;
    } else if (which == "kms-host" || which == "kms-host-requests") {
      if (!host_.open()) {
        host_.start("cmd.slmgr", path_, no, kFormat);
        host_.set("block", "kms-host");
      }
      section_ = Section::kms_host;
    }
  }

  void on_ato(const LabeledLine& m, uint64_t no, bool wrapped) {
    if (m.key == "ato_product") {
      finish_ato();
      ato_.start("cmd.slmgr-ato", path_, no, kFormat);
      if (const auto joined = split_joined_ato(labels_, m.value)) {
        ato_.set("product", joined->product);
        return on_ato(joined->result, no, wrapped);
      }
      ato_.set("product", m.value);
      continuation_target(ato_, "product", wrapped);
      continuation_is_message_ = true;
      return;
    }
    if (!ato_.open() || !ato_.get("hresult").empty()) {
      finish_ato();
      ato_.start("cmd.slmgr-ato", path_, no, kFormat);
    }
    if (m.key == "ato_result") {
      ato_.set("hresult", "0x00000000");
      ato_.set("outcome", "activated");
      return;
    }
    const std::string code = find_hresult(m.value);
    ato_.set("hresult", code);
    ato_.set("outcome", "failed");
    std::string_view message = m.value;
    if (const size_t at = ascii_lower(message).find(ascii_lower(code)); !code.empty() && at != std::string::npos) {
      message = trim(message.substr(at + code.size()));
    }
    ato_.set("message", message);
    continuation_target(ato_, "message", wrapped);
    continuation_is_message_ = true;
  }

  void on_xpr(const LabeledLine& m, uint64_t no) {
    BlockRecord xpr;
    xpr.start("cmd.slmgr-xpr", path_, no, kFormat);
    std::string product = last_unlabeled_;
    while (!product.empty() && (product.back() == ':' || product.back() == ' ')) product.pop_back();
    if (product.ends_with("\xEF\xBC\x9A")) product.resize(product.size() - 3);  // fullwidth colon
    xpr.set("product", product);
    const std::string state = m.key.substr(4);  // "permanent", "volume_expires", ...
    xpr.set("state", state.substr(0, state.find('_')));
    if (!m.fixed) xpr.set("expires", m.value);
    emit(xpr);
  }

  std::string canonical(std::string_view key, const std::string& value) {
    for (auto k : kEnumerated) {
      if (k != key) continue;
      if (auto v = labels_.value(value)) return *v;
      return value;
    }
    if (key == "notification_reason") {
      const std::string code = find_hresult(value);
      return code.empty() ? value : code;
    }
    return value;
  }

  void set_field(BlockRecord& target, std::string_view key, const std::string& value, uint64_t no) {
    if (!target.set(key, value) && !reported_cap_) {
      reported_cap_ = true;
      problem(no, "block has more fields than kmsdiag keeps; the rest are dropped");
    }
  }

  void continuation_target(BlockRecord& target, std::string_view key, bool wrapped) {
    continuation_ = &target;
    continuation_key_ = std::string(key);
    continuation_wrapped_ = wrapped;
    continuation_is_message_ = false;
  }

  bool in_host() const { return section_ == Section::kms_host && host_.open(); }

  void open_product(uint64_t no) {
    product_.start("cmd.slmgr", path_, no, kFormat);
    product_.set("block", "product");
    section_ = Section::product;
    reported_cap_ = false;
  }

  void finish_product() {
    continuation_ = nullptr;
    if (!product_.open()) return;
    if (!service_version_.empty()) product_.set("service_version", service_version_);
    if (host_.open()) {
      for (auto k : kProductIdentity) {
        if (const std::string_view v = product_.get(k); !v.empty()) host_.set(k, v);
      }
    }
    emit(product_);
    emit(host_);
    section_ = Section::product;
  }

  void finish_ato() {
    if (!ato_.open()) return;
    std::string product, act_id;
    split_ato_product(ato_.get("product"), product, act_id);
    ato_.set("product", product);
    if (!act_id.empty()) ato_.set("act_id", act_id);
    if (continuation_ == &ato_) continuation_ = nullptr;
    emit(ato_);
  }

  void emit(BlockRecord& r) {
    if (r.emit(*sink_)) ++stats_.records;
  }

  LabelMatcher labels_;
  RecordSink* sink_ = nullptr;
  std::string path_;
  ReadStats stats_;
  BlockRecord product_, host_, ato_;
  Section section_ = Section::product;
  std::string service_version_;
  std::string last_unlabeled_;
  BlockRecord* continuation_ = nullptr;
  std::string continuation_key_;
  bool continuation_wrapped_ = false;
  bool continuation_is_message_ = false;
  bool reported_cap_ = false;
};

// Confidence that a head is slmgr output: product blocks need several distinct labels; /ato and
// /xpr output is short, so one unmistakable line (an /ato error with its code, an /xpr verdict) counts.
int detect_slmgr(std::string_view head, const Knowledge& kb) {
  const LabelMatcher labels(kb, "slmgr");
  if (labels.empty()) return 0;
  std::set<std::string> keys;
  bool ato_or_xpr = false;
  for (auto line : head_lines(head)) {
    auto m = labels.match(line);
    if (!m) continue;
    if (m->key == "ato_product") {
      if (auto joined = split_joined_ato(labels, m->value)) m = std::move(joined->result);
    }
    keys.insert(m->key);
    if (m->key.starts_with("xpr_") || m->key == "ato_result" ||
        (m->key == "ato_error" && !find_hresult(m->value).empty())) {
      ato_or_xpr = true;
    }
  }
  const bool state = keys.count("license_status") || keys.count("current_count") || keys.count("cmid");
  if (state && keys.count("name") && keys.count("description")) return 90;
  if (state && keys.size() >= 3) return 70;
  if (ato_or_xpr) return 60;
  return 0;
}

}  // namespace

std::unique_ptr<LineParser> make_slmgr_parser(const Knowledge& kb) { return std::make_unique<SlmgrParser>(kb); }

FormatInfo slmgr_text_format() {
  return FormatInfo{"slmgr-text", detect_slmgr,
                    [](const Knowledge& kb) { return make_mixed_text_reader(kb, "slmgr-text"); }, true};
}

}  // namespace kmsdiag
