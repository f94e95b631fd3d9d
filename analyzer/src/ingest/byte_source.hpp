// A forward-only stream of bytes: a file on disk or a member of an archive.
// Readers pull from it in blocks so no input is ever loaded whole.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace kmsdiag {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes; returns 0 at end of input. Throws std::runtime_error on an I/O error.
  virtual size_t read(char* buf, size_t n) = 0;
  // The name shown in evidence and problems.
  virtual const std::string& path() const = 0;
};

class FileSource final : public ByteSource {
 public:
  // Opens `path`; path() is its printable form (model/printable_text.hpp). Throws std::runtime_error.
  explicit FileSource(const std::string& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  size_t read(char* buf, size_t n) override;
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

// Wraps a source so its first bytes can be inspected (format detection) and then replayed.
class PeekableSource final : public ByteSource {
 public:
  explicit PeekableSource(ByteSource& inner) : inner_(inner) {}
  // Up to n leading bytes (fewer at end of input). Must be called before the first read().
  std::string_view peek(size_t n);
  size_t read(char* buf, size_t n) override;
  const std::string& path() const override { return inner_.path(); }

 private:
  ByteSource& inner_;
  std::string head_;
  size_t replayed_ = 0;
};

// An in-memory source (tests, fuzz targets, decoded text).
class MemorySource final : public ByteSource {
 public:
  MemorySource(std::string path, std::string_view data) : path_(std::move(path)), data_(data) {}
  size_t read(char* buf, size_t n) override;
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace kmsdiag
