// Strings stored once each and referred to by a 32-bit id: the repeated text of many facts (kinds,
// field keys, paths, machine names, codes) costs its characters once, and a new string about 16 bytes
// besides its characters (no per-string allocation or hash node).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kmsdiag {

class StringPool {
 public:
  using Id = uint32_t;
  Id intern(std::string_view text);
  // Valid until the next intern().
  std::string_view view(Id id) const { return {chars_.data() + spans_[id].first, spans_[id].second}; }
  size_t size() const { return spans_.size(); }
  size_t footprint() const;

 private:
  void grow();

  std::string chars_;
  std::vector<std::pair<uint32_t, uint32_t>> spans_;  // offset, length in chars_
  std::vector<Id> slots_;                             // open addressing: id + 1, 0 for empty
};

}  // namespace kmsdiag
