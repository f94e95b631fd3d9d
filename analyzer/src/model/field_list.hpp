// A record's fields, packed one after another into a single buffer.
//
// Every stage keeps records: a raw event has two dozen fields, a fact a dozen, and an analysis keeps
// hundreds of thousands of facts. As a vector of string pairs a field cost 64 bytes plus a heap block
// for any key or value past 15 characters; packed, it costs its characters and two length bytes, and a
// record makes one allocation instead of up to one per field. Lookups scan: records have few fields.
// A list that grows past kIndexedFrom fields (an event with thousands of Data items, as damaged or
// hostile input has) also keeps a hash index of its keys, so building or querying it stays linear.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
    const_iterator(const char* buf, size_t at, size_t size) : buf_(buf), at_(at), size_(size) { decode(); }
    void decode();
    const char* buf_ = nullptr;
    size_t at_ = 0, size_ = 0, next_ = 0;
    FieldView view_;
  };

  FieldList() = default;
  FieldList(const FieldList& o) { *this = o; }
  FieldList(FieldList&& o) noexcept { *this = std::move(o); }
  FieldList& operator=(const FieldList& o);
  FieldList& operator=(FieldList&& o) noexcept;
  ~FieldList() { release(); }

  // Lists with this many fields keep a key index.
  static constexpr size_t kIndexedFrom = 32;

  const_iterator begin() const { return {data_, 0, size_}; }
  const_iterator end() const { return {data_, size_, size_}; }
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  // The same fields in the same order (the packing is canonical: equal lists have equal bytes).
  bool operator==(const FieldList& o) const;

  // Appends, even when the key is already there (readers keep repeated keys; see Record::set).
  void push_back(const Field& f) { append(f.key, f.value); }
  void append(std::string_view key, std::string_view value);
  // The first field with this key.
  std::optional<std::string_view> find(std::string_view key) const;
  // Replaces the first field with this key, or appends one.
  void assign(std::string_view key, std::string_view value);
  // Room for about `fields` typical fields, so a reader's record grows once.
  void reserve(size_t fields) { grow_to(fields * 24); }
  // The packed bytes, and a list made from such bytes and their field count: a list carried across as one
  // text (RecordTape) is copied back whole, not field by field.
  std::string_view packed() const { return {data_, size_}; }
  void assign_packed(std::string_view packed, size_t count);
  // Gives back the room kept for growth: for records that are kept, once complete.
  void shrink_to_fit();
  void clear();
  size_t heap_bytes() const;  // in a FieldSlab, the bytes it takes there

 private:
  friend class FieldSlab;
  bool in_slab() const { return capacity_ == 0 && data_ != nullptr; }
  void release();  // frees or lets go of data_
  // Where the first field with this key starts, or npos.
  size_t locate(std::string_view key) const;
  void grow_to(size_t bytes);  // capacity for at least `bytes`
  void put(std::string_view text);
  void put_length(size_t n);
  // The index: where the first field of each key starts (open addressing, offset + 1, 0 = free).
  struct Index {
    std::vector<uint32_t> slots;
    size_t keys = 0;
  };
  void index_field(size_t at);  // adds the field at `at` unless its key is indexed already
  void insert_key(size_t at);   // index_field() once the index has room
  void rebuild_index();
  // Per field: key length, value length (LEB128 varints), key, value. Not a std::string, whose growth
  // doubles and which would spend 32 bytes of every record on a buffer for short text.
  // Its own block (new[]) while capacity_ > 0; else, when set, bytes in a FieldSlab block, never written.
  char* data_ = nullptr;
  std::unique_ptr<Index> index_;  // only from kIndexedFrom fields on
  uint32_t size_ = 0, capacity_ = 0, count_ = 0;
};

}  // namespace kmsdiag
