// A forward-only stream of bytes: a file on disk, a pipe, or a member of an archive.
// Readers pull from it in blocks so no input is ever loaded whole.
#pragma once

#include <chrono>
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

// A file, a device, a FIFO (`<(…)`, /dev/stdin) or, for the path "-", standard input. Opened once: a stream
// cannot be opened again to start over. A FIFO nobody opens for writing within `fifo_wait` fails instead
// of waiting forever.
class FileSource final : public ByteSource {
 public:
  static constexpr std::chrono::milliseconds kFifoWait{10'000};
  // path() is the printable form of `path` (model/printable_text.hpp). Throws std::runtime_error saying
  // why (the caller names the file).
  explicit FileSource(const std::string& path, std::chrono::milliseconds fifo_wait = kFifoWait);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  size_t read(char* buf, size_t n) override;
  const std::string& path() const override { return path_; }
  int descriptor() const { return ::fileno(file_); }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  std::string first_;  // what a FIFO's writer sent while we waited for it, read before file_
  size_t first_read_ = 0;
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
