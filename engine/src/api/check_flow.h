// The steps of a check that Check, CheckSession and the shard functions share.
#ifndef PROVGATE_API_CHECK_FLOW_H_
#define PROVGATE_API_CHECK_FLOW_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/check_plan.h"
#include "lineage/walk.h"
#include "policy/evaluator.h"
#include "policy/waivers.h"
#include "provgate/check.h"

namespace provgate::detail {

// What stays the same for the checked manifest and every upstream manifest it leads to.
struct CheckContext {
  const RulePack& pack;
  const CheckOptions& options;
  LineageWalk& lineage;
};

// Reads `input` (a file, or text read as a file with the same bytes would be).
ReadResult ReadInput(const ManifestInput& input, ManifestVisitor& visitor,
                     const ReadOptions& options);

// Sets every line and column of `header` to 0 (a typed manifest has no lines).
void StripPositions(ManifestHeader& header);

// The path relative paths of the manifest resolve against: a file's path, or the name of text
// placed in its base directory.
std::string ResolvingPath(const ManifestInput& input);

// The plan for `input` at lineage depth `depth`, with the resolvers of upstream models.
std::optional<CheckPlan> PlanFor(const ManifestInput& input, CheckContext& context, int depth,
                                 std::vector<Diagnostic>& diagnostics);

// The reader's options under the check's thread budget.
ReadOptions ReadOptionsFor(const CheckOptions& options);

// For a profile that needs it, reads every source once for the facts the rules need first
// (the last stage that used unpermitted data) and records them in the plan. False when the
// input cannot be read (the caller's read reports why).
bool FirstPass(const ManifestInput& input, const RulePack& pack, const CheckOptions& options,
               CheckPlan& plan);

// Reads `input` into `evaluator`, moving the reader's status and diagnostics into `status`
// and `diagnostics`; false when the manifest cannot be evaluated.
bool ReadForEvaluation(const ManifestInput& input, PolicyEvaluator& evaluator,
                       const CheckOptions& options, ReadResult& read, Status& status,
                       std::vector<Diagnostic>& diagnostics);

// Makes the report from an evaluation and adds the model to the lineage graph.
void Conclude(const ManifestInput& input, CheckContext& context, const CheckPlan& plan,
              Evaluation&& evaluation, const ManifestHeader& header, const ReadResult& read,
              CheckResult& result);

// Checks `input` at lineage depth `depth` (0: the checked manifest), without waivers.
CheckResult CheckManifest(const ManifestInput& input, CheckContext& context, int depth);

// Before a check: confines lineage (options.root), loads the trusted keys and the waivers.
// A result when one of them fails.
std::optional<CheckResult> Prepare(const ManifestInput& input, const RulePack& pack,
                                   CheckOptions& options,
                                   std::vector<std::shared_ptr<const Waiver>>& waivers);

// After a check that succeeded: applies the waivers and takes the lineage graph.
void Finalize(CheckResult& result, const CheckOptions& options,
              const std::vector<std::shared_ptr<const Waiver>>& waivers, LineageWalk& lineage);

}  // namespace provgate::detail

#endif  // PROVGATE_API_CHECK_FLOW_H_
