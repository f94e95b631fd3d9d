// One row per machine and product, as Volume Activation Management Tool lists a fleet: license state, last
// successful activation, the host used, CMID and time left, from each machine's own records.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "correlate/correlation_steps.hpp"
#include "model/machine_place.hpp"

namespace kmsdiag::correlation {
namespace {

struct RowAcc {
  MachineProduct row;
  std::tuple<int64_t, size_t> state_rank{kNoTime, 0};  // of the state shown: command output (undated) first
  std::tuple<int64_t, size_t> attempt_rank{kNoTime, 0};
  bool has_state = false;
};

bool inventory_fact(const Record& f) {
  return f.kind == kLicenseStateKind || (f.kind == kAttemptKind && f.get("via") != "kms-host-log");
}

void fill_if_empty(std::string& slot, std::string_view value) {
  if (slot.empty()) slot = std::string(trim(value));
}

// Where each record's machine is. slmgr and ospp print no computer name: their output belongs to the one
// machine the other records of its folder name (its event log beside it), else to an unnamed machine known
// by its file, or by its folder when the folder holds several such files.
class Places {
 public:
  explicit Places(const std::vector<Record>& facts) {
    std::map<std::string, std::set<std::string>> named;  // folder -> machine keys
    for (const Record& f : facts) {
      if (!inventory_fact(f)) continue;
      const std::string folder(input_folder(f.source.path));
      if (!trim(f.machine).empty()) {
        named[folder].insert(machine_key(f.machine));
        names_.try_emplace(machine_key(f.machine), trim(f.machine));
      } else {
        unnamed_files_[folder].insert(f.source.path.str());
      }
    }
    for (const auto& [folder, keys] : named)
      if (keys.size() == 1) owner_[folder] = *keys.begin();
  }

  // (key, name to show)
  std::pair<std::string, std::string> of(const Record& f) const {
    const std::string folder(input_folder(f.source.path));
    if (trim(f.machine).empty()) {
      if (const auto it = owner_.find(folder); it != owner_.end()) return {it->second, names_.at(it->second)};
      const std::set<std::string>& files = unnamed_files_.at(folder);
      return {"\x1f" + folder, unnamed_machine_label(files.size() == 1 ? *files.begin() : folder)};
    }
    const std::string key = machine_key(f.machine);
    return {key, names_.at(key)};
  }

 private:
  std::map<std::string, std::string> names_;  // machine key -> its first spelling
  std::map<std::string, std::string> owner_;  // folder -> the one machine key its named records name
  std::map<std::string, std::set<std::string>> unnamed_files_;
};

void add_state(RowAcc& acc, const Record& f, size_t order) {
  const std::tuple<int64_t, size_t> rank{f.time_ms == kNoTime ? INT64_MAX : f.time_ms, order};
  MachineProduct& row = acc.row;
  if (!acc.has_state || rank > acc.state_rank) {
    acc.has_state = true;
    acc.state_rank = rank;
    row.license = std::string(f.get("license_status_name"));
    if (const auto channel = f.get("channel"); !channel.empty()) row.channel = std::string(channel);
    row.minutes_to_expiry.reset();
    if (const auto minutes = to_number(f.get("minutes_to_expiry")))
      row.minutes_to_expiry = static_cast<int64_t>(*minutes);
    row.state_ms = f.time_ms;
    row.source = f.source;
  }
  fill_if_empty(row.channel, f.get("channel"));
  fill_if_empty(row.cmid, f.get("cmid"));
  fill_if_empty(row.kms_host, f.get("kms_host"));
}

void add_attempt(RowAcc& acc, const Record& f, size_t order) {
  MachineProduct& row = acc.row;
  if (f.get("activated") == "1" && f.time_ms != kNoTime &&
      (row.last_success_ms == kNoTime || f.time_ms > row.last_success_ms))
    row.last_success_ms = f.time_ms;
  // The host it used last is the latest attempt's, which a license state (a snapshot) may predate.
  const std::tuple<int64_t, size_t> rank{f.time_ms, order};
  if (!trim(f.get("kms_host")).empty() && rank >= acc.attempt_rank) {
    acc.attempt_rank = rank;
    row.kms_host = std::string(trim(f.get("kms_host")));
  }
  fill_if_empty(row.cmid, f.get("cmid"));
}

}  // namespace

void list_machine_products(const std::vector<Record>& facts, FleetOverview& fleet) {
  const Places places(facts);
  std::map<std::pair<std::string, std::string>, RowAcc> rows;  // (machine key, product key)
  for (size_t i = 0; i < facts.size(); ++i) {
    const Record& f = facts[i];
    if (!inventory_fact(f)) continue;
    const auto [key, name] = places.of(f);
    const std::string_view product_name = f.get("product").empty() ? f.get("product_name") : f.get("product");
    const std::string product_key =
        f.get("act_id").empty() ? ascii_lower(trim(product_name)) : std::string(f.get("act_id"));
    RowAcc& acc = rows[{key, product_key}];
    acc.row.machine = name;
    fill_if_empty(acc.row.product, product_name);
    if (f.kind == kLicenseStateKind)
      add_state(acc, f, i);
    else
      add_attempt(acc, f, i);
  }
  std::vector<MachineProduct> listed;
  listed.reserve(rows.size());
  for (auto& [key, acc] : rows) listed.push_back(std::move(acc.row));
  std::stable_sort(listed.begin(), listed.end(), [](const MachineProduct& a, const MachineProduct& b) {
    return std::tie(a.machine, a.product) < std::tie(b.machine, b.product);
  });
  if (listed.size() > kMaxInventoryRows) {
    fleet.machines_not_listed = listed.size() - kMaxInventoryRows;
    listed.resize(kMaxInventoryRows);
  }
  fleet.machines = std::move(listed);
}

}  // namespace kmsdiag::correlation
