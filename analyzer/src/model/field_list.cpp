#include "model/field_list.hpp"

#include "model/field_slab.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <utility>

namespace kmsdiag {
namespace {

size_t get_length(const char* in, size_t& at) {
  size_t n = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(in[at++]);
    n |= static_cast<size_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return n;
  }
}

// The field starting at `at`, and where the next one starts.
FieldView decode_at(const char* buf, size_t at, size_t& next) {
  const size_t key_size = get_length(buf, at);
  const size_t value_size = get_length(buf, at);
  next = at + key_size + value_size;
  return {{buf + at, key_size}, {buf + at + key_size, value_size}};
}

size_t length_bytes(size_t n) {
  size_t bytes = 1;
  for (; n >= 0x80; n >>= 7) ++bytes;
  return bytes;
}

size_t entry_bytes(std::string_view key, std::string_view value) {
  return length_bytes(key.size()) + length_bytes(value.size()) + key.size() + value.size();
}

}  // namespace

void FieldList::const_iterator::decode() {
  if (at_ < size_) view_ = decode_at(buf_, at_, next_);
}

FieldList::const_iterator& FieldList::const_iterator::operator++() {
  at_ = next_;
  decode();
  return *this;
}

FieldList& FieldList::operator=(const FieldList& o) {
  if (this == &o) return *this;
  char* data = o.size_ ? new char[o.size_] : nullptr;
  if (o.size_) std::memcpy(data, o.data_, o.size_);
  release();
  data_ = data;
  size_ = capacity_ = o.size_;
  count_ = o.count_;
  index_.reset(o.index_ ? new Index(*o.index_) : nullptr);
  return *this;
}

FieldList& FieldList::operator=(FieldList&& o) noexcept {
  if (this == &o) return *this;
  release();
  data_ = std::exchange(o.data_, nullptr);
  index_ = std::move(o.index_);
  size_ = std::exchange(o.size_, 0);
  capacity_ = std::exchange(o.capacity_, 0);
  count_ = std::exchange(o.count_, 0);
  return *this;
}

bool FieldList::operator==(const FieldList& o) const {
  return count_ == o.count_ && size_ == o.size_ && (size_ == 0 || std::memcmp(data_, o.data_, size_) == 0);
}

void FieldList::release() {
  if (capacity_ > 0)
    delete[] data_;
  else if (data_)
    FieldSlab::release(data_);
  data_ = nullptr;
  capacity_ = 0;
}

// Every change comes here first, so a list in a slab moves to a block of its own before anything is written.
void FieldList::grow_to(size_t bytes) {
  if (bytes <= capacity_) return;
  if (bytes > UINT32_MAX) throw std::length_error("record fields over 4 GiB");
  const size_t room = std::min<size_t>(UINT32_MAX, std::max<size_t>({bytes, capacity_ + capacity_ / 2, 32}));
  char* data = new char[room];
  if (size_) std::memcpy(data, data_, size_);
  release();
  data_ = data;
  capacity_ = static_cast<uint32_t>(room);
}

void FieldList::clear() {
  size_ = count_ = 0;
  index_.reset();
}

void FieldList::assign_packed(std::string_view packed, size_t count) {
  clear();
  grow_to(packed.size());
  if (!packed.empty()) std::memcpy(data_, packed.data(), packed.size());
  size_ = static_cast<uint32_t>(packed.size());
  count_ = static_cast<uint32_t>(count);
  rebuild_index();
}

size_t FieldList::heap_bytes() const {
  return (in_slab() ? size_ : capacity_) + (index_ ? sizeof(Index) + index_->slots.capacity() * sizeof(uint32_t) : 0);
}

void FieldList::index_field(size_t at) {
  Index& index = *index_;
  if ((index.keys + 1) * 2 > index.slots.size()) {  // at most half full: probes stay short
    index.slots.assign(std::max<size_t>(64, index.slots.size() * 2), 0);
    index.keys = 0;
    size_t next = 0;
    for (size_t from = 0; from < at; from = next) {
      decode_at(data_, from, next);
      insert_key(from);
    }
  }
  insert_key(at);
}

void FieldList::insert_key(size_t at) {
  Index& index = *index_;
  size_t next = 0;
  const std::string_view key = decode_at(data_, at, next).key;
  const size_t mask = index.slots.size() - 1;
  for (size_t i = std::hash<std::string_view>()(key) & mask;; i = (i + 1) & mask) {
    if (index.slots[i] == 0) {
      index.slots[i] = static_cast<uint32_t>(at + 1);
      ++index.keys;
      return;
    }
    if (decode_at(data_, index.slots[i] - 1, next).key == key) return;  // the first one stays
  }
}

void FieldList::rebuild_index() {
  index_.reset();
  if (count_ < kIndexedFrom) return;
  index_ = std::make_unique<Index>();
  size_t next = 0;
  for (size_t at = 0; at < size_; at = next) {
    decode_at(data_, at, next);
    index_field(at);
  }
}

void FieldList::shrink_to_fit() {
  if (capacity_ == size_ || in_slab()) return;
  char* data = size_ ? new char[size_] : nullptr;
  if (size_) std::memcpy(data, data_, size_);
  release();
  data_ = data;
  capacity_ = size_;
}

void FieldList::put(std::string_view text) {
  if (!text.empty()) std::memcpy(data_ + size_, text.data(), text.size());
  size_ += static_cast<uint32_t>(text.size());
}

void FieldList::put_length(size_t n) {
  for (; n >= 0x80; n >>= 7) data_[size_++] = static_cast<char>((n & 0x7F) | 0x80);
  data_[size_++] = static_cast<char>(n);
}

void FieldList::append(std::string_view key, std::string_view value) {
  // Text taken from this very list (set("a", get("b"))) would move when the buffer grows.
  const std::less<const char*> before;
  const auto inside = [&](std::string_view s) {
    return !s.empty() && !before(s.data(), data_) && before(s.data(), data_ + size_);
  };
  if (inside(key) || inside(value)) {
    const std::string k(key), v(value);
    return append(k, v);
  }
  grow_to(size_ + entry_bytes(key, value));
  const size_t at = size_;
  put_length(key.size());
  put_length(value.size());
  put(key);
  put(value);
  ++count_;
  if (index_)
    index_field(at);
  else if (count_ == kIndexedFrom)
    rebuild_index();
}

size_t FieldList::locate(std::string_view key) const {
  size_t next = 0;
  if (index_) {
    const size_t mask = index_->slots.size() - 1;
    for (size_t i = std::hash<std::string_view>()(key) & mask; index_->slots[i] != 0; i = (i + 1) & mask) {
      const size_t at = index_->slots[i] - 1;
      if (decode_at(data_, at, next).key == key) return at;
    }
    return std::string::npos;
  }
  // Most entries have key and value under 128 bytes (a length byte each): their keys are told apart by length
  // before any decoding or compare. This scan runs for most lookups of most records.
  const char* buf = data_;
  for (size_t at = 0; at < size_;) {
    const auto key_size = static_cast<unsigned char>(buf[at]), value_size = static_cast<unsigned char>(buf[at + 1]);
    if ((key_size | value_size) < 0x80) {
      if (key_size == key.size() && std::memcmp(buf + at + 2, key.data(), key_size) == 0) return at;
      at += 2u + key_size + value_size;
      continue;
    }
    if (decode_at(buf, at, next).key == key) return at;
    at = next;
  }
  return std::string::npos;
}

std::optional<std::string_view> FieldList::find(std::string_view key) const {
  const size_t at = locate(key);
  if (at == std::string::npos) return std::nullopt;
  size_t next = 0;
  return decode_at(data_, at, next).value;
}

void FieldList::assign(std::string_view key, std::string_view value) {
  const size_t at = locate(key);
  if (at == std::string::npos) return append(key, value);
  size_t next = 0;
  decode_at(data_, at, next);
  // The new entry is built aside: the value may be a view into this list.
  FieldList entry;
  entry.append(key, value);
  const size_t old_bytes = next - at, new_bytes = entry.size_;
  grow_to(size_ - old_bytes + new_bytes);
  std::memmove(data_ + at + new_bytes, data_ + next, size_ - next);
  std::memcpy(data_ + at, entry.data_, new_bytes);
  size_ = static_cast<uint32_t>(size_ - old_bytes + new_bytes);
  if (index_ && new_bytes != old_bytes) rebuild_index();  // the fields after it have moved
}

}  // namespace kmsdiag
