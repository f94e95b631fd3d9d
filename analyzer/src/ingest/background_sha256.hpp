// The SHA-256 of a byte stream, computed on a thread of its own once the stream is big. Hashing runs at
// about 1.3 GB/s even with SHA-NI: on the thread that reads a big file, and so feeds every other thread,
// it was a third of that thread's time. Handed off, it costs the reader a copy (~10 GB/s) and runs beside
// the parsing. A small input (most of a bundle's files) is hashed in line: a thread would cost more.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "model/sha256.hpp"

namespace kmsdiag {

class BackgroundSha256 {
 public:
  BackgroundSha256() = default;
  ~BackgroundSha256();
  BackgroundSha256(const BackgroundSha256&) = delete;
  BackgroundSha256& operator=(const BackgroundSha256&) = delete;

  void update(std::string_view bytes);
  std::string hex_digest();  // waits for the thread; call once

  // Bytes hashed in line before the thread takes over, and the blocks it is handed (at most kBlocks are
  // held: memory stays bounded however far the hashing falls behind; the reader then waits).
  static constexpr uint64_t kInlineBytes = uint64_t{4} << 20;
  static constexpr size_t kBlockSize = size_t{256} << 10;
  static constexpr size_t kBlocks = 4;

 private:
  void hand_off();  // queues filling_ and takes an empty block, waiting for one if need be
  void stop();      // lets the thread hash what is queued, and joins it
  void run();

  Sha256 sha_;  // the caller's until the thread starts, the thread's until it is joined
  uint64_t inline_bytes_ = 0;
  std::string filling_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> full_;
  std::vector<std::string> empty_;
  size_t blocks_made_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kmsdiag
