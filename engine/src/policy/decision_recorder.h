// Makes each source's row of the auditors' decision table (CheckOptions::collect_decisions),
// sharing the texts and stage lists that repeat between sources, so that a table of a million
// sources holds each licence, reason and explanation once.
#ifndef PROVGATE_POLICY_DECISION_RECORDER_H_
#define PROVGATE_POLICY_DECISION_RECORDER_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/text_arena.h"
#include "policy/permission.h"
#include "provgate/manifest.h"
#include "provgate/report.h"

namespace provgate::detail {

// One per source judge (not thread-safe); the decisions it makes may go anywhere.
class DecisionRecorder {
 public:
  explicit DecisionRecorder(const Model& model) : model_(model) {}

  // The decision for `source`: its permission as resolved, explained by `detail`, used by the
  // stages at `stages` (indices into the model's stages; null when none names it).
  SourceDecision Record(const Source& source, const PermissionResult& permission,
                        std::string_view detail, const std::vector<std::size_t>* stages);

 private:
  SharedText Shared(std::string_view text);

  const Model& model_;
  TextArena arena_;  // Ids and titles: one per source, written into shared blocks.
  std::map<std::string, SharedText, std::less<>> texts_;
  std::map<std::vector<std::size_t>, std::shared_ptr<const std::vector<std::string>>> stage_lists_;
};

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_DECISION_RECORDER_H_
