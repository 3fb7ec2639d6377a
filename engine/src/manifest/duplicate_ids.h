// DuplicateTracker: finds the source ids that occur more than once, in constant memory while
// the sources stream by. A Bloom filter (id_bloom) names candidates in the first pass; a
// second pass over the ids only records where each candidate occurs, and the candidates seen
// more than once are the repeated ids.
#ifndef PROVGATE_MANIFEST_DUPLICATE_IDS_H_
#define PROVGATE_MANIFEST_DUPLICATE_IDS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/id_bloom.h"
#include "provgate/manifest.h"

namespace provgate::detail {

class DuplicateTracker {
 public:
  // Manifests of this size or more have enough sources for the filter to prefer huge pages.
  static constexpr std::uint64_t kLargeManifest = std::uint64_t{32} << 20;

  // Before the first pass: the size of what holds the sources.
  void ExpectBytes(std::uint64_t bytes) {
    if (bytes >= kLargeManifest) bloom_.PreferHugePages();
  }

  // First pass. Inserts the previous id and prefetches this one's cache line, so that the
  // filter's memory access overlaps the parsing of the next source instead of stalling it.
  void Insert(std::string_view id) {
    std::uint64_t hash = IdBloomFilter::Hash(id);
    bloom_.Prefetch(hash);
    Drain();
    pending_id_.assign(id.data(), id.size());
    pending_hash_ = hash;
    has_pending_ = true;
  }

  // After the first pass: whether a second pass is needed.
  bool HasCandidates() {
    Drain();
    return !candidates_.empty();
  }

  // Second pass: where `id` occurs (ignored unless it is a candidate).
  void Confirm(std::string_view id, const Location& location) {
    auto it = candidates_.find(id);
    if (it != candidates_.end()) it->second.push_back(location);
  }

  // The repeated ids, sorted, with every location of each.
  std::vector<ReadResult::DuplicateId> Take();

 private:
  // Inserts the last id.
  void Drain() {
    if (!has_pending_) return;
    has_pending_ = false;
    if (bloom_.InsertHash(pending_hash_)) {
      candidates_.emplace(pending_id_, std::vector<Location>{});
    }
  }

  IdBloomFilter bloom_;
  // Ordered, not hashed: ids are chosen by the manifest's author, and a tree costs log n per
  // lookup whatever they are.
  std::map<std::string, std::vector<Location>, std::less<>> candidates_;
  std::string pending_id_;
  std::uint64_t pending_hash_ = 0;
  bool has_pending_ = false;
};

}  // namespace provgate::detail

#endif  // PROVGATE_MANIFEST_DUPLICATE_IDS_H_
