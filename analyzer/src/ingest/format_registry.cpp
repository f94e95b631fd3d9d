#include <algorithm>

#include "ingest/event_csv_reader.hpp"
#include "ingest/event_format_list_reader.hpp"
#include "ingest/event_json_reader.hpp"
#include "ingest/event_tsv_reader.hpp"
#include "ingest/event_xml_reader.hpp"
#include "ingest/evtx_reader.hpp"
#include "ingest/ospp_reader.hpp"
#include "ingest/pasted_event_reader.hpp"
#include "ingest/reader.hpp"
#include "ingest/slmgr_reader.hpp"
#include "ingest/srv_lookup_readers.hpp"

namespace kmsdiag {

const std::vector<FormatInfo>& formats() {
  static const std::vector<FormatInfo> all = {
      event_xml_format(),    evtx_format(),         event_csv_format(),           event_tsv_format(),
      pasted_event_format(), event_json_format(),   event_format_list_format(),   slmgr_text_format(),
      ospp_text_format(),    nslookup_srv_format(), resolve_dnsname_srv_format(), dig_srv_format(),
  };
  return all;
}

const FormatInfo* detect_format(std::string_view raw_head, std::string_view utf8_head, const Knowledge& kb) {
  const FormatInfo* best = nullptr;
  int best_score = 0;
  for (const auto& f : formats()) {
    const int score = f.detect(f.text ? utf8_head : raw_head, kb);
    if (score > best_score) best = &f, best_score = score;
  }
  return best;
}

}  // namespace kmsdiag
