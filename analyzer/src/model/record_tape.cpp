#include "model/record_tape.hpp"

#include <cstring>

namespace kmsdiag {

void RecordTape::put_number(uint64_t n) { bytes_.append(reinterpret_cast<const char*>(&n), sizeof n); }

void RecordTape::put(std::string_view text) {
  put_number(text.size());
  bytes_.append(text);
}

std::string_view RecordTape::take(size_t size) {
  const std::string_view out = std::string_view(bytes_).substr(read_, size);
  read_ += size;
  return out;
}

uint64_t RecordTape::take_number() {
  uint64_t n = 0;
  std::memcpy(&n, bytes_.data() + read_, sizeof n);
  read_ += sizeof n;
  return n;
}

void RecordTape::push(const Record& r) {
  put(r.kind);
  put(r.source.path);
  put(r.source.unit);
  put_number(r.source.position);
  put(r.source.record_id);
  put_number(static_cast<uint64_t>(r.time_ms));
  put(r.machine);
  put_number(r.fields.size());
  put(r.fields.packed());
}

bool RecordTape::next(Record& out) {
  if (read_ >= bytes_.size()) return false;
  const auto text = [this] { return take(take_number()); };
  out.kind = text();
  out.source.path = text();
  out.source.unit = text();
  out.source.position = take_number();
  out.source.record_id = text();
  out.time_ms = static_cast<int64_t>(take_number());
  out.machine = text();
  const uint64_t fields = take_number();
  out.fields.assign_packed(text(), fields);
  return true;
}

}  // namespace kmsdiag
