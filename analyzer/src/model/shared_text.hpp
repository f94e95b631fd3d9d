// Immutable text whose copies share one heap block: a record's kind, machine and source path. A run
// keeps hundreds of thousands of facts, and these three texts are the same for most of them (a few
// kinds, one log, one or a few machines) yet longer than std::string keeps inline. As std::string each
// fact took three heap blocks of its own: three mallocs when the facts were made, tens of MB of fresh
// pages, and a cache miss in every pass of correlation and the rules that compares a kind. Made from
// one SharedText, every fact points at the same block, hot in the cache.
#pragma once

#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace kmsdiag {

class SharedText {
 public:
  SharedText() noexcept = default;
  SharedText(std::string_view text) { assign(text); }  // NOLINT: implicit, as a std::string is from text
  SharedText(const char* text) : SharedText(std::string_view(text)) {}
  SharedText(const std::string& text) : SharedText(std::string_view(text)) {}
  SharedText(const SharedText& other) noexcept : block_(other.block_) { retain(); }
  SharedText(SharedText&& other) noexcept : block_(other.block_) { other.block_ = nullptr; }
  SharedText& operator=(const SharedText& other) noexcept {
    if (block_ != other.block_) {
      release();
      block_ = other.block_;
      retain();
    }
    return *this;
  }
  SharedText& operator=(SharedText&& other) noexcept {
    if (this != &other) {
      release();
      block_ = other.block_;
      other.block_ = nullptr;
    }
    return *this;
  }
  // Text equal to what is held keeps the block: a reader that reuses one record for a whole log assigns
  // the same path and machine to it for every event.
  SharedText& operator=(std::string_view text) {
    assign(text);
    return *this;
  }
  void assign(std::string_view text);
  SharedText& operator=(const char* text) { return *this = std::string_view(text); }
  SharedText& operator=(const std::string& text) { return *this = std::string_view(text); }
  ~SharedText() { release(); }

  std::string_view view() const noexcept {
    return block_ ? std::string_view(block_->text(), block_->size) : std::string_view();
  }
  operator std::string_view() const noexcept { return view(); }  // NOLINT: read as text anywhere
  std::string str() const { return std::string(view()); }
  const char* data() const noexcept { return block_ ? block_->text() : ""; }
  const char* c_str() const noexcept { return data(); }  // NUL-terminated
  size_t size() const noexcept { return block_ ? block_->size : 0; }
  bool empty() const noexcept { return block_ == nullptr; }
  void clear() noexcept {
    release();
    block_ = nullptr;
  }
  bool starts_with(std::string_view prefix) const noexcept { return view().starts_with(prefix); }
  bool ends_with(std::string_view suffix) const noexcept { return view().ends_with(suffix); }
  // Bytes of the block, for memory estimates (shared: a caller counting many copies counts it once).
  size_t heap_bytes() const noexcept { return block_ ? sizeof(Block) + block_->size + 1 : 0; }

  friend bool operator==(const SharedText& a, const SharedText& b) noexcept {
    return a.block_ == b.block_ || a.view() == b.view();
  }
  friend bool operator==(const SharedText& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(const SharedText& a, const char* b) noexcept { return a.view() == b; }
  friend bool operator==(const SharedText& a, const std::string& b) noexcept { return a.view() == b; }
  friend std::strong_ordering operator<=>(const SharedText& a, const SharedText& b) noexcept {
    return a.view() <=> b.view();
  }
  friend std::strong_ordering operator<=>(const SharedText& a, std::string_view b) noexcept { return a.view() <=> b; }
  friend std::strong_ordering operator<=>(const SharedText& a, const char* b) noexcept {
    return a.view() <=> std::string_view(b);
  }
  friend std::strong_ordering operator<=>(const SharedText& a, const std::string& b) noexcept {
    return a.view() <=> std::string_view(b);
  }
  friend std::string operator+(const SharedText& a, std::string_view b) { return a.str().append(b); }
  friend std::string operator+(std::string_view a, const SharedText& b) { return std::string(a).append(b.view()); }
  friend std::string operator+(const std::string& a, const SharedText& b) { return std::string(a).append(b.view()); }
  friend std::string operator+(const char* a, const SharedText& b) { return std::string(a).append(b.view()); }

 private:
  struct Block {  // followed by the text and a NUL
    std::atomic<uint32_t> refs;
    uint32_t size;
    char* text() noexcept { return reinterpret_cast<char*>(this + 1); }
    const char* text() const noexcept { return reinterpret_cast<const char*>(this + 1); }
  };
  void retain() const noexcept {
    if (block_) block_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release() noexcept;

  Block* block_ = nullptr;  // null: empty text
};

}  // namespace kmsdiag

template <>
struct fmt::formatter<kmsdiag::SharedText> : fmt::formatter<std::string_view> {
  auto format(const kmsdiag::SharedText& t, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(t.view(), ctx);
  }
};

template <>
struct std::hash<kmsdiag::SharedText> {
  size_t operator()(const kmsdiag::SharedText& t) const noexcept { return std::hash<std::string_view>()(t.view()); }
};
