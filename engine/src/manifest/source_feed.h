// SourceFeed: hands the sources a reader has parsed to its visitor, either on the reader's
// thread or on a second thread that works through them while the reader parses ahead.
#ifndef PROVGATE_ENGINE_MANIFEST_SOURCE_FEED_H_
#define PROVGATE_ENGINE_MANIFEST_SOURCE_FEED_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "provgate/manifest.h"

namespace provgate::detail {

/// The reader asks for a slot, fills it, and pushes it. Without a thread, Push calls the
/// visitor at once with the one slot, which is reused. With a thread, sources travel in
/// batches through a bounded queue, so at most a few batches are in flight, and the visitor
/// sees every source in order, one call at a time, on the feed's thread. Slots are recycled
/// with their string capacity. The thread starts with the first full batch, so manifests
/// smaller than a batch never start one.
class SourceFeed {
 public:
  static constexpr std::size_t kBatch = 1024;
  static constexpr std::size_t kQueued = 4;  // Full batches waiting for the visitor, at most.

  SourceFeed(ManifestVisitor& visitor, bool threaded);
  ~SourceFeed();
  SourceFeed(const SourceFeed&) = delete;
  SourceFeed& operator=(const SourceFeed&) = delete;

  /// The source to fill next. Its fields hold whatever an earlier source left: the reader
  /// clears it.
  Source& Slot();
  /// Hands the slot filled since the last Slot() to the visitor.
  void Push();
  /// Returns once the visitor has seen every source pushed. Called before the visitor's
  /// results are read; the destructor calls it too.
  void Finish();

 private:
  // Grows to kBatch sources as it is first filled, so that a small manifest costs only the
  // sources it has; recycled batches keep their sources and the sources their capacity.
  struct Batch {
    std::vector<Source> sources;
    std::size_t count = 0;
  };

  void Run();

  ManifestVisitor& visitor_;
  bool threaded_;
  Source single_;
  std::unique_ptr<Batch> current_;

  std::mutex mutex_;
  std::condition_variable has_work_;  // full_ grew, or done_ was set
  std::condition_variable has_room_;  // full_ shrank
  std::deque<std::unique_ptr<Batch>> full_;
  std::vector<std::unique_ptr<Batch>> free_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace provgate::detail

#endif  // PROVGATE_ENGINE_MANIFEST_SOURCE_FEED_H_
