#include "ingest/background_sha256.hpp"

#include <algorithm>

namespace kmsdiag {

BackgroundSha256::~BackgroundSha256() { stop(); }

void BackgroundSha256::update(std::string_view bytes) {
  if (!thread_.joinable()) {
    if (inline_bytes_ + bytes.size() <= kInlineBytes) {
      inline_bytes_ += bytes.size();
      sha_.update(bytes);
      return;
    }
    filling_.reserve(kBlockSize);
    blocks_made_ = 1;
    thread_ = std::thread([this] { run(); });  // sha_ is handed over here: the start orders the updates
  }
  while (!bytes.empty()) {
    const size_t n = std::min(bytes.size(), kBlockSize - filling_.size());
    filling_.append(bytes.substr(0, n));
    bytes.remove_prefix(n);
    if (filling_.size() == kBlockSize) hand_off();
  }
}

void BackgroundSha256::hand_off() {
  std::unique_lock lock(mutex_);
  full_.push_back(std::move(filling_));
  changed_.notify_all();
  filling_ = std::string();
  if (empty_.empty() && blocks_made_ < kBlocks) {
    ++blocks_made_;
    filling_.reserve(kBlockSize);
    return;
  }
  changed_.wait(lock, [this] { return !empty_.empty(); });
  filling_ = std::move(empty_.back());
  empty_.pop_back();
  filling_.clear();
}

void BackgroundSha256::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return !full_.empty() || stopping_; });
    if (full_.empty()) return;  // stopping, and everything queued is hashed
    std::string block = std::move(full_.front());
    full_.pop_front();
    lock.unlock();
    sha_.update(block);
    lock.lock();
    empty_.push_back(std::move(block));
    changed_.notify_all();
  }
}

void BackgroundSha256::stop() {
  if (!thread_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    if (!filling_.empty()) full_.push_back(std::move(filling_));
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

std::string BackgroundSha256::hex_digest() {
  stop();
  return sha_.hex_digest();
}

}  // namespace kmsdiag
