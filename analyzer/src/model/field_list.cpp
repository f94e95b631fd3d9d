#include "model/field_list.hpp"

#include <functional>

namespace kmsdiag {
namespace {

void put_length(std::string& out, size_t n) {
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7F) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
}

size_t get_length(const std::string& in, size_t& at) {
  size_t n = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(in[at++]);
    n |= static_cast<size_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return n;
  }
}

// The field starting at `at`, and where the next one starts.
FieldView decode_at(const std::string& buf, size_t at, size_t& next) {
  const size_t key_size = get_length(buf, at);
  const size_t value_size = get_length(buf, at);
  const std::string_view all(buf);
  next = at + key_size + value_size;
  return {all.substr(at, key_size), all.substr(at + key_size, value_size)};
}

void encode(std::string& out, std::string_view key, std::string_view value) {
  put_length(out, key.size());
  put_length(out, value.size());
  out += key;
  out += value;
}

}  // namespace

void FieldList::const_iterator::decode() {
  if (at_ < buf_->size()) view_ = decode_at(*buf_, at_, next_);
}

FieldList::const_iterator& FieldList::const_iterator::operator++() {
  at_ = next_;
  decode();
  return *this;
}

void FieldList::append(std::string_view key, std::string_view value) {
  // Text taken from this very list (set("a", get("b"))) would move when the buffer grows.
  const std::less<const char*> before;
  const auto inside = [&](std::string_view s) {
    return !s.empty() && !before(s.data(), buf_.data()) && before(s.data(), buf_.data() + buf_.size());
  };
  if (inside(key) || inside(value)) {
    std::string entry;
    encode(entry, key, value);
    buf_ += entry;
  } else {
    encode(buf_, key, value);
  }
  ++count_;
}

size_t FieldList::locate(std::string_view key) const {
  size_t next = 0;
  for (size_t at = 0; at < buf_.size(); at = next)
    if (decode_at(buf_, at, next).key == key) return at;
  return std::string::npos;
}

std::optional<std::string_view> FieldList::find(std::string_view key) const {
  size_t next = 0;
  for (size_t at = 0; at < buf_.size(); at = next) {
    const FieldView f = decode_at(buf_, at, next);
    if (f.key == key) return f.value;
  }
  return std::nullopt;
}

void FieldList::assign(std::string_view key, std::string_view value) {
  const size_t at = locate(key);
  if (at == std::string::npos) return append(key, value);
  size_t next = 0;
  decode_at(buf_, at, next);
  std::string entry;
  encode(entry, key, value);
  buf_.replace(at, next - at, entry);
}

size_t FieldList::heap_bytes() const { return buf_.capacity() > std::string().capacity() ? buf_.capacity() + 1 : 0; }

}  // namespace kmsdiag
