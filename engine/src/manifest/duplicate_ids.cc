// The repeated source ids, once both passes are done (see duplicate_ids.h).
#include "manifest/duplicate_ids.h"

#include <algorithm>

namespace provgate::detail {

std::vector<ReadResult::DuplicateId> DuplicateTracker::Take() {
  Drain();
  std::vector<ReadResult::DuplicateId> out;
  for (auto& [id, locations] : candidates_) {
    if (locations.size() > 1) out.push_back({id, std::move(locations)});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

}  // namespace provgate::detail
