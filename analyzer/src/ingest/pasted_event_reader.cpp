#include "ingest/pasted_event_reader.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <string>

#include "ingest/event_text_fields.hpp"
#include "ingest/event_xml_record.hpp"
#include "ingest/line_reader.hpp"
#include "ingest/mixed_text_reader.hpp"

namespace kmsdiag {
namespace {

constexpr size_t kMaxBlock = 1024 * 1024;  // one event's description or XML

// A pasted line without mail quoting ("> > "), leading indentation kept, trailing spaces dropped.
std::string_view unquote(std::string_view line) {
  size_t i = 0;
  for (;;) {
    size_t j = i;
    while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) ++j;
    if (j < line.size() && line[j] == '>') {
      i = j + 1;
      if (i < line.size() && line[i] == ' ') ++i;
      continue;
    }
    break;
  }
  line = line.substr(i);
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
  return line;
}

// The XML text of a line of Event Viewer's XML view: fold markers "- " / "+ " and indentation removed.
// Empty when the line does not start with markup.
std::string_view xml_part(std::string_view line) {
  std::string_view t = trim(line);
  if (t.starts_with("- <") || t.starts_with("+ <")) t.remove_prefix(2);
  return t.starts_with("<") ? t : std::string_view();
}

// "Label: value" (also with the full-width colon): something after a colon.
bool label_shaped(std::string_view t) {
  const size_t colon = t.find(':');
  const size_t wide = t.find("\xEF\xBC\x9A");
  const size_t after = std::min(colon == std::string_view::npos ? t.size() : colon + 1,
                                wide == std::string_view::npos ? t.size() : wide + 3);
  return !trim(t.substr(after)).empty();
}

// A KB article's or ticket's event often lacks "Log Name:"; the log follows from the event id.
std::string implied_channel(std::string_view event_id) {
  return trim(event_id) == "12290" ? "Key Management Service" : "Application";
}

class PastedEventParser final : public LineParser {
 public:
  explicit PastedEventParser(const Knowledge& kb) : labels_(kb), out_(labels_, "pasted-event") {}

  size_t max_line() const override { return LineReader::kDefaultMaxLine; }
  void begin(const std::string& path, RecordSink& sink) override { out_.begin(path, sink); }
  void line(std::string_view raw, uint64_t no) override {
    const std::string_view line = unquote(raw);
    on_line(line, no);
    after_blank_ = trim(line).empty();
  }
  void end_part() override {
    flush();
    out_.flush();
  }
  void problem(uint64_t no, const std::string& message) override { out_.problem(no, message); }
  ReadStats stats() const override { return out_.stats(); }

  // Only what no command output has: an event header line, "Info:" and a KMS payload, event XML.
  bool opens_part(std::string_view raw, bool) const override {
    const std::string_view line = unquote(raw);
    if (const auto label = split_label_line(line, labels_))
      return label->first == "channel" || label->first == "provider" || label->first == "event_id";
    const std::string_view markup = xml_part(line);
    return (markup.starts_with("<Event") && !markup.starts_with("<EventData")) || is_info_line(trim(line)) ||
           !infer_event_id(trim(line)).empty();
  }

 private:
  enum class Mode { idle, header, description, await_xml, xml, await_payload };

  void on_line(std::string_view line, uint64_t no) {
    if (mode_ == Mode::xml) return add_xml(xml_part(line).empty() ? trim(line) : xml_part(line), no);
    const std::string_view markup = xml_part(line);
    if (markup.starts_with("<Event") && !markup.starts_with("<EventData")) {
      // XML inside a "Copy details" block belongs to it (after "Event Xml:", or right after the
      // description when that label is in a language the table lacks); the XML view's folded copy
      // ("- <Event") and XML anywhere else are events of their own.
      const bool folded = trim(line).front() != '<';
      if (!(mode_ == Mode::await_xml || (mode_ == Mode::description && !folded))) start(no);
      mode_ = Mode::xml;
      xml_.clear();
      return add_xml(markup, no);
    }
    if (trim(line).empty()) {
      if (mode_ == Mode::description) ev_.message += '\n';
      return;
    }
    const auto label = split_label_line(line, labels_);
    if (label && starts_block(label->first)) start(no);
    if (label && label->first == "event_xml" && mode_ != Mode::idle) {
      mode_ = Mode::await_xml;
      return;
    }
    switch (mode_) {
      case Mode::header:
        if (label) return set_header(label->first, label->second);
        if (!starts_message(trim(line))) return;  // stray text between header lines
        // The KB style: the message follows the header without "Description:".
        mode_ = Mode::description;
        [[fallthrough]];
      case Mode::description:
      case Mode::await_xml:  // text after "Event Xml:" that is not XML: keep it with the description
        if (ev_.message.size() + line.size() < kMaxBlock) ev_.message.append(line).append("\n");
        return;
      case Mode::await_payload:
        return bare_payload(trim(line), info_line_);
      case Mode::idle:
      case Mode::xml:
        break;
    }
    // Outside any block: a bare "Info:" line (payload on it or on the next line), or a payload alone.
    const std::string_view t = trim(line);
    if (is_info_line(t)) {
      const std::string_view rest = trim(t.substr(t.find(':') + 1));
      if (rest.empty()) {
        mode_ = Mode::await_payload;
        info_line_ = no;
        return;
      }
      return bare_payload(rest, no);
    }
    if (!infer_event_id(t).empty()) bare_payload(t, no);
  }

  // "Info:" alone or with the payload after it ("Info:  0x80072338").
  bool is_info_line(std::string_view t) const {
    const size_t colon = t.find(':');
    return colon != std::string_view::npos && labels_.exact_key(t.substr(0, colon + 1)) == "info";
  }

  // After the header of a block without "Description:", the first line of the message: a sentence
  // (also one ending in a colon), "Info:" or the payload. A "Label: value" line the table lacks (a
  // header line of another Windows version or language) stays stray header text.
  bool starts_message(std::string_view t) const {
    return !ev_.event_id.empty() && (!label_shaped(t) || is_info_line(t) || !infer_event_id(t).empty());
  }

  // "Log Name:" opens a block; a paste that begins further down opens one at "Source:" or "Event ID:".
  // A second "Event ID:", or a "Source:" after a blank line, means the previous block ended without a
  // "Log Name:" for the next.
  bool starts_block(const std::string& key) const {
    if (key == "channel") return true;
    const bool opener = key == "provider" || key == "event_id";
    if (mode_ == Mode::idle) return opener;
    const bool in_block = !ev_.event_id.empty() && (mode_ == Mode::header || mode_ == Mode::description);
    return in_block && (key == "event_id" || (opener && after_blank_));
  }

  void set_header(const std::string& key, std::string value) {
    if (key == "channel")
      ev_.channel = std::move(value);
    else if (key == "provider")
      ev_.provider = std::move(value);
    else if (key == "time")
      ev_.time_text = std::move(value);
    else if (key == "event_id")
      ev_.event_id = std::move(value);
    else if (key == "level")
      ev_.level = std::move(value);
    else if (key == "machine")
      ev_.machine = std::move(value);
    else if (key == "record_id")
      ev_.record_id = std::move(value);
    else if (key == "message") {
      mode_ = Mode::description;
      if (!value.empty()) ev_.message = value + "\n";
    }
  }

  void bare_payload(std::string_view payload, uint64_t no) {
    mode_ = Mode::idle;
    const std::string id = infer_event_id(payload);
    if (id.empty()) {
      out_.problem(no, fmt::format("payload after 'Info:' fits no known KMS event shape: '{}'", payload.substr(0, 80)));
      return;
    }
    TextEvent ev;
    ev.line = no;
    ev.event_id = id;
    ev.data.emplace_back(payload);
    ev.extra.push_back({"inferred", "1"});
    emit(std::move(ev));
  }

  void add_xml(std::string_view text, uint64_t no) {
    if (xml_.size() + text.size() > kMaxBlock) {
      out_.problem(ev_line_, "event XML larger than 1 MiB; skipped");
      open_ = false;
      mode_ = Mode::idle;
      return;
    }
    xml_.append(text).append("\n");
    if (text.find("</Event>") == std::string_view::npos) return;
    mode_ = Mode::description;  // the XML is complete
    pugi::xml_document doc;
    const auto parsed = doc.load_buffer(xml_.data(), xml_.size(), pugi::parse_default, pugi::encoding_utf8);
    xml_.clear();
    if (!parsed || !doc.document_element().child("System")) {
      out_.problem(no, fmt::format("event XML starting line {} is not well formed ({}); {}", ev_line_,
                                   parsed ? "no <System> element" : parsed.description(),
                                   trim(ev_.event_id).empty() ? "skipped" : "kept the text fields"));
      open_ = !trim(ev_.event_id).empty();  // a "Copy details" header still stands on its own
      return flush();
    }
    // The XML is the better source (UTC time, every Data element); the description supplies the
    // rendered message the XML lacks.
    Record r;
    r.source = SourceRef{out_.path(), "line", ev_line_, ""};
    const EventXmlIssue issue = event_xml_to_record(doc.document_element(), "pasted-event", r);
    if (!issue.message.empty()) out_.problem(ev_line_, "event XML: " + issue.message);
    if (r.machine.empty()) r.machine = ev_.machine;
    if (const std::string message(trim(ev_.message)); !message.empty() && !r.has("message")) r.set("message", message);
    ev_ = TextEvent{};
    open_ = false;
    mode_ = Mode::idle;
    if (!issue.skipped) out_.record(std::move(r));
  }

  void start(uint64_t no) {
    flush();
    ev_ = TextEvent{};
    ev_.line = no;
    ev_line_ = no;
    open_ = true;
    mode_ = Mode::header;
  }

  void flush() {
    if (mode_ == Mode::xml && open_)
      out_.problem(ev_line_, "event XML ends before </Event>; skipped");
    else if (mode_ == Mode::await_payload)
      out_.problem(info_line_, "'Info:' with no payload after it");
    else if (open_ && trim(ev_.event_id).empty())
      out_.problem(ev_line_, "event block without an Event ID; skipped");
    else if (open_) {
      // Blank lines pasted between every line leave the description padded; the record keeps it tidy.
      ev_.message = std::string(trim(ev_.message));
      if (trim(ev_.channel).empty()) ev_.channel = implied_channel(ev_.event_id);
      emit(std::move(ev_));
    }
    ev_ = TextEvent{};
    open_ = false;
    mode_ = Mode::idle;
  }

  void emit(TextEvent&& ev) {
    const std::string bad_id = fmt::format("Event ID '{}' is not a number; skipped", trim(ev.event_id).substr(0, 40));
    out_.emit(std::move(ev), bad_id);
  }

  EventLabels labels_;
  TextEventOutput out_;
  Mode mode_ = Mode::idle;
  TextEvent ev_;
  bool open_ = false;         // ev_ holds a block that started (header label or XML)
  bool after_blank_ = false;  // the line before the current one was blank
  uint64_t ev_line_ = 0;
  uint64_t info_line_ = 0;
  std::string xml_;
};

int detect_pasted(std::string_view head, const Knowledge& kb) {
  const EventLabels labels(kb);
  bool header = false, event_id = false, folded_xml = false, payload = false;
  for (int n = 0; n < 400 && !head.empty(); ++n) {
    const size_t nl = head.find('\n');
    const std::string_view line = unquote(head.substr(0, nl));
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (const auto label = split_label_line(line, labels)) {
      header = header || label->first == "channel" || label->first == "provider";
      event_id = event_id || label->first == "event_id";
    }
    folded_xml = folded_xml || trim(line).starts_with("- <Event");
    payload = payload || !infer_event_id(trim(line)).empty();
  }
  if (header && event_id) return 70;
  if (folded_xml) return 70;
  return payload ? 30 : 0;
}

}  // namespace

std::unique_ptr<LineParser> make_pasted_event_parser(const Knowledge& kb) {
  return std::make_unique<PastedEventParser>(kb);
}

FormatInfo pasted_event_format() {
  return FormatInfo{"pasted-event", detect_pasted,
                    [](const Knowledge& kb) { return make_mixed_text_reader(kb, "pasted-event"); }, true};
}

}  // namespace kmsdiag
