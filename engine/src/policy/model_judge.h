// Completes a check once every source is judged: the edges to models that generated sources,
// the model's checks (which see whether it is tainted), stage references, files that could
// not be verified and repeated ids; then the findings and obligations in the report's order.
#ifndef PROVGATE_POLICY_MODEL_JUDGE_H_
#define PROVGATE_POLICY_MODEL_JUDGE_H_

#include <optional>
#include <string>
#include <vector>

#include "policy/check_scope.h"
#include "policy/tally.h"
#include "provgate/lineage.h"
#include "provgate/manifest.h"
#include "provgate/report.h"

namespace provgate::detail {

// What evaluating a manifest gives.
struct Evaluation {
  std::vector<Finding> findings;  // In the report's order.
  std::vector<Obligation> obligations;
  std::vector<Artifact> artifacts;  // Manifest order, without repeats (with collect_artifacts).
  // Every source's decision in manifest order (with collect_decisions).
  std::optional<std::vector<SourceDecision>> decisions;
  Report::Summary summary;  // Without the finding counts (RecountFindings makes them).
  bool tainted = false;
  std::string taint_chain;
  std::vector<TaintCause> taint_causes;  // Heaviest first (RankTaintCauses).
  std::uint64_t taint_causes_omitted = 0;
  std::string effective_weights;
  std::vector<LineageGraph::Edge> graph_edges;
  std::vector<LineageGraph::Stage> graph_stages;
  // The last stage that used unpermitted data, directly or through a tainted upstream (-1:
  // none); the last stage when a tainted upstream has no stage.
  int last_unpermitted_stage = -1;
  // The check date, when a contract's validity depended on it; otherwise empty.
  std::string check_date_used;
};

// Completes the check of `scope` from the merged tally of all its sources. `duplicates` are
// the repeated ids the reader found; when the tally holds every id (collect_ids), they are
// found from it instead.
Evaluation JudgeModel(CheckScope& scope, SourceTally tally,
                      std::vector<ReadResult::DuplicateId> duplicates);

// The repeated ids among a tally's ids, sorted by id, each with its positions in order.
std::vector<ReadResult::DuplicateId> FindRepeatedIds(std::vector<SourceTally::Id>& ids);

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_MODEL_JUDGE_H_
