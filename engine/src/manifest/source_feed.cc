// SourceFeed: sources to the visitor, on the reader's thread or in batches on a second one (see
// source_feed.h).
#include "manifest/source_feed.h"

#include <utility>

namespace provgate::detail {

SourceFeed::SourceFeed(ManifestVisitor& visitor, bool threaded)
    : visitor_(visitor), threaded_(threaded) {
  if (threaded_) current_ = std::make_unique<Batch>();
}

SourceFeed::~SourceFeed() { Finish(); }

Source& SourceFeed::Slot() {
  if (!threaded_) return single_;
  if (current_->count == current_->sources.size()) return current_->sources.emplace_back();
  return current_->sources[current_->count];
}

void SourceFeed::Push() {
  if (!threaded_) {
    visitor_.OnSource(single_);
    return;
  }
  if (++current_->count < kBatch) return;
  std::unique_ptr<Batch> next;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
    has_room_.wait(lock, [&] { return full_.size() < kQueued; });
    full_.push_back(std::move(current_));
    if (!free_.empty()) {
      next = std::move(free_.back());
      free_.pop_back();
    }
  }
  has_work_.notify_one();
  current_ = next ? std::move(next) : std::make_unique<Batch>();
  current_->count = 0;
}

void SourceFeed::Finish() {
  if (!threaded_ || current_ == nullptr) return;
  if (!thread_.joinable()) {
    // Fewer sources than a batch: no thread was needed.
    for (std::size_t i = 0; i < current_->count; ++i) visitor_.OnSource(current_->sources[i]);
  } else {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (current_->count > 0) full_.push_back(std::move(current_));
      done_ = true;
    }
    has_work_.notify_one();
    thread_.join();
  }
  current_.reset();
}

void SourceFeed::Run() {
  for (;;) {
    std::unique_ptr<Batch> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      has_work_.wait(lock, [&] { return !full_.empty() || done_; });
      if (full_.empty()) return;  // done_, and nothing left.
      batch = std::move(full_.front());
      full_.pop_front();
    }
    has_room_.notify_one();
    for (std::size_t i = 0; i < batch->count; ++i) visitor_.OnSource(batch->sources[i]);
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(std::move(batch));
  }
}

}  // namespace provgate::detail
