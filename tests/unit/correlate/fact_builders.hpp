// Hand-built interpreted facts (kinds and fields as rules/records.md defines them), so the
// correlator is tested independently of the interpreters.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/analysis.hpp"
#include "model/record.hpp"

namespace kmsdiag::testing {

inline const int64_t kT0 = utc_ms(2024, 3, 1, 8, 0, 0);
inline constexpr int64_t kMin = 60'000;
inline constexpr int64_t kDay = 24 * 60 * kMin;

inline Record fact(std::string kind, std::string path, uint64_t position, int64_t time, std::string machine,
                   std::vector<Field> fields) {
  Record r;
  r.kind = std::move(kind);
  r.source = SourceRef{std::move(path), "record", position, std::to_string(position)};
  r.time_ms = time;
  r.machine = std::move(machine);
  for (const Field& f : fields) r.fields.push_back(f);
  return r;
}

inline Record client_request(std::string path, uint64_t pos, int64_t time, std::string machine, std::string cmid,
                             std::string hresult = "0x00000000", std::string host = "kms1.contoso.com",
                             std::string n_policy = "25") {
  return fact("kms.client-request", std::move(path), pos, time, std::move(machine),
              {{"hresult", std::move(hresult)},
               {"kms_host", host + ":1688"},
               {"kms_host_name", host},
               {"kms_port", "1688"},
               {"cmid", std::move(cmid)},
               {"act_id", "73111121-5638-40f6-bc11-f1d7b0d64300"},
               {"license_status", "2"},
               {"minutes_to_expiry", "40000"},
               {"n_policy", std::move(n_policy)}});
}

inline Record client_response(std::string path, uint64_t pos, int64_t time, std::string machine,
                              std::string hresult = "0x00000000", std::string activated = "1",
                              std::string count = "50") {
  return fact("kms.client-response", std::move(path), pos, time, std::move(machine),
              {{"hresult", std::move(hresult)}, {"activated", std::move(activated)}, {"count", std::move(count)}});
}

inline Record host_request(std::string path, uint64_t pos, int64_t time, std::string host, std::string client,
                           std::string cmid, std::string hresult = "0x00000000") {
  return fact(
      "kms.host-request", std::move(path), pos, time, std::move(host),
      {{"hresult", std::move(hresult)}, {"n_policy", "25"}, {"client", std::move(client)}, {"cmid", std::move(cmid)}});
}

inline InputSummary input(std::string path, uint64_t records, std::string format = "evtx") {
  InputSummary in;
  in.path = std::move(path);
  in.format = std::move(format);
  in.records = records;
  return in;
}

inline std::vector<const Record*> of_kind(const std::vector<Record>& records, std::string_view kind) {
  std::vector<const Record*> out;
  for (const auto& r : records)
    if (r.kind == kind) out.push_back(&r);
  return out;
}

}  // namespace kmsdiag::testing
