// A record's fields, packed one after another into a single buffer.
//
// Every stage keeps records: a raw event has two dozen fields, a fact a dozen, and an analysis keeps
// hundreds of thousands of facts. As a vector of string pairs a field cost 64 bytes plus a heap block
// for any key or value past 15 characters; packed, it costs its characters and two length bytes, and a
// record makes one allocation instead of up to one per field. Lookups scan, as they did: records have
// few fields, and the ones with many (an event's Data items) are read in order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace kmsdiag {

// A field to add: owned text, as the readers build it.
struct Field {
  std::string key;
  std::string value;
};

// A field as stored: views into the list, valid until the list changes.
struct FieldView {
  std::string_view key;
  std::string_view value;
};

class FieldList {
 public:
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = FieldView;
    using difference_type = std::ptrdiff_t;
    using pointer = const FieldView*;
    using reference = const FieldView&;

    const_iterator() = default;
    const FieldView& operator*() const { return view_; }
    const FieldView* operator->() const { return &view_; }
    const_iterator& operator++();
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const const_iterator& o) const { return at_ == o.at_; }

   private:
    friend class FieldList;
    const_iterator(const std::string* buf, size_t at) : buf_(buf), at_(at) { decode(); }
    void decode();
    const std::string* buf_ = nullptr;
    size_t at_ = 0, next_ = 0;
    FieldView view_;
  };

  const_iterator begin() const { return {&buf_, 0}; }
  const_iterator end() const { return {&buf_, buf_.size()}; }
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }

  // Appends, even when the key is already there (readers keep repeated keys; see Record::set).
  void push_back(const Field& f) { append(f.key, f.value); }
  void append(std::string_view key, std::string_view value);
  // The first field with this key.
  std::optional<std::string_view> find(std::string_view key) const;
  // Replaces the first field with this key, or appends one.
  void assign(std::string_view key, std::string_view value);
  // Room for about `fields` typical fields, so a reader's record grows once.
  void reserve(size_t fields) { buf_.reserve(fields * 24); }
  void clear() {
    buf_.clear();
    count_ = 0;
  }
  size_t heap_bytes() const;

 private:
  // Where the first field with this key starts, or npos.
  size_t locate(std::string_view key) const;
  std::string buf_;  // per field: key length, value length (LEB128 varints), key, value
  uint32_t count_ = 0;
};

}  // namespace kmsdiag
