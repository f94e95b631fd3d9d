#include "model/analysis.hpp"

namespace kmsdiag {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
    case Severity::critical:
      return "critical";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view text) {
  for (Severity s : {Severity::info, Severity::warning, Severity::error, Severity::critical})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

void count_ignored(std::map<std::string, uint64_t>& kinds, const std::string& kind, uint64_t n) {
  auto it = kinds.find(kind);
  if (it == kinds.end()) {
    // The overflow is not a name: merging a capped map (whose "(other kinds)" sorts first) into another
    // must leave room for all kMaxIgnoredKinds names.
    const auto other = kinds.find(std::string(kOtherIgnoredKinds));
    const size_t named = kinds.size() - (other == kinds.end() ? 0 : 1);
    if (named >= kMaxIgnoredKinds && kind != kOtherIgnoredKinds)
      it = other != kinds.end() ? other : kinds.try_emplace(std::string(kOtherIgnoredKinds)).first;
    else
      it = kinds.emplace(kind, 0).first;
  }
  it->second += n;
}

std::string ignored_event_key(std::string_view provider, std::string_view channel, std::string_view event_id) {
  std::string key;
  ignored_event_key(key, provider, channel, event_id);
  return key;
}

void ignored_event_key(std::string& key, std::string_view provider, std::string_view channel,
                       std::string_view event_id) {
  key.assign(channel.empty() ? provider : channel);
  key += ' ';
  key += event_id;
}

}  // namespace kmsdiag
