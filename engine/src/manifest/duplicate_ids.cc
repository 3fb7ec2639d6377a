// The repeated source ids: of a manifest once both passes over it are done (see
// duplicate_ids.h), and of sources held in memory (FindDuplicateSourceIds).
#include "manifest/duplicate_ids.h"

#include <algorithm>

namespace provgate {

std::vector<ReadResult::DuplicateId> FindDuplicateSourceIds(const std::vector<Source>& sources) {
  // All the sources are in memory already: an exact map of ids to positions costs less than
  // they do.
  std::map<std::string_view, std::vector<std::size_t>> positions;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    // An empty id is an error of its own, not a repeat (the reader skips it too).
    if (!sources[i].id.empty()) positions[sources[i].id].push_back(i);
  }
  std::vector<ReadResult::DuplicateId> out;
  for (const auto& [id, at] : positions) {
    if (at.size() < 2) continue;
    ReadResult::DuplicateId duplicate{std::string(id), {}};
    for (std::size_t i : at) {
      Location location = sources[i].location;
      if (location.pointer.empty()) location.pointer = "/sources/" + std::to_string(i);
      duplicate.locations.push_back(std::move(location));
    }
    out.push_back(std::move(duplicate));
  }
  return out;
}

namespace detail {

std::vector<ReadResult::DuplicateId> DuplicateTracker::Take() {
  Drain();
  std::vector<ReadResult::DuplicateId> out;
  for (auto& [id, locations] : candidates_) {
    if (locations.size() > 1) out.push_back({id, std::move(locations)});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

}  // namespace detail
}  // namespace provgate
